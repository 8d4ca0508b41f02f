/** Holds the event loop for `ms` with synchronous work, as one long loop turn of a saturated server does. */
export function holdLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}
