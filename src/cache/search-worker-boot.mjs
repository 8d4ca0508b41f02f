// Worker threads do not inherit the parent's `--import tsx` on Node 20: register tsx here when the
// worker named in workerData is TypeScript (a compiled build names the .js one and needs no loader).
import { workerData } from "node:worker_threads";

if (workerData.entry.endsWith(".ts")) {
  const { register } = await import("tsx/esm/api");
  register();
}
await import(workerData.entry);
