import { rmSync } from "node:fs";

/**
 * The bench's server children run until their stdin closes (the bench process ended them or died),
 * then close the server and the app, remove their scratch directory and exit 0. A server that never
 * finishes closing (attack leftovers, a vendor still hanging) is abandoned after `hardMs`: the bench
 * only needs the process gone.
 */
export function exitWhenStdinCloses(opts: { stop: () => void; close: () => Promise<unknown>; dir: string; hardMs: number }): void {
  process.stdin.resume();
  process.stdin.once("end", () => {
    opts.stop();
    const hard = setTimeout(() => process.exit(0), opts.hardMs);
    void opts
      .close()
      .catch(() => {})
      .finally(() => {
        clearTimeout(hard);
        rmSync(opts.dir, { recursive: true, force: true });
        process.exit(0);
      });
  });
}
