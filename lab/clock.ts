/**
 * The lab's clock: real time shifted by an offset that tests and the control API can move, so token
 * expiry, uptimes and "last status change" ages can be exercised without waiting.
 */
export interface LabClock {
  now(): Date;
  /** Move the clock forward (or back, with a negative value). */
  advance(ms: number): void;
  /** Jump to an instant; real time keeps flowing from there. */
  set(instant: Date): void;
}

export function createLabClock(start: Date = new Date()): LabClock {
  let offset = start.getTime() - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    advance(ms) {
      offset += ms;
    },
    set(instant) {
      offset = instant.getTime() - Date.now();
    },
  };
}
