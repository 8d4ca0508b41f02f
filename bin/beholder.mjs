#!/usr/bin/env node
// `npx beholder …`: the CLI in src/cli/beholder.ts, run through tsx (a runtime dependency).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/beholder.ts");
const stop = new AbortController();
process.once("SIGINT", () => stop.abort());
process.exit(await main(process.argv.slice(2), undefined, { signal: stop.signal }));
