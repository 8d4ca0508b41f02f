/**
 * One sync benchmark in a fresh process, so its peak RSS is not inflated by a run before it in the
 * same process. Prints the result as one JSON line.
 */
import { parseArgs } from "node:util";
import { benchSync } from "./sync.bench.js";

const { values } = parseArgs({
  options: { subscribers: { type: "string", default: "100000" }, rps: { type: "string", default: "1000" }, "keep-db-at": { type: "string" },
    // Also list every stretch the loop was held over 200 ms with the SQL in it; also time a status sync after.
    holds: { type: "boolean", default: false },
    status: { type: "boolean", default: false },
  },
});
const keep = values["keep-db-at"];
const result = await benchSync(Number(values.subscribers), Number(values.rps), { ...(keep ? { keepDbAt: keep } : {}), holds: values.holds, status: values.status });
process.stdout.write(`${JSON.stringify(result)}\n`);
