import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConnectError } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { DurationSchema } from "@bufbuild/protobuf/wkt";
import { watchInterval } from "../../src/api/watch-diagnosis.js";
import { loadConfig } from "../../src/config.js";

const config = loadConfig({}).watch;
const d = (seconds: bigint, nanos = 0): ReturnType<typeof create<typeof DurationSchema>> => create(DurationSchema, { seconds, nanos });

describe("WatchDiagnosis interval", () => {
  const cases: Array<[string, ReturnType<typeof d> | undefined, number]> = [
    ["absent: the default", undefined, 10_000],
    ["zero: the default", d(0n), 10_000],
    ["inside the bounds: as asked", d(7n, 500_000_000), 7_500],
    ["below the minimum: the minimum", d(1n), 5_000],
    ["above the maximum: the maximum", d(3600n), 60_000],
  ];
  for (const [name, interval, ms] of cases) test(name, () => assert.equal(watchInterval(interval, config), ms));

  test("negative: InvalidArgument naming the field", () => {
    assert.throws(() => watchInterval(d(-1n), config), (err: unknown) => err instanceof ConnectError && err.rawMessage === "interval must not be negative");
  });

  test("config: the bounds must hold the default", () => {
    assert.throws(() => loadConfig({ WATCH_INTERVAL_MIN_MS: "20000" }), /WATCH_INTERVAL_MIN_MS <= WATCH_INTERVAL_DEFAULT_MS/);
  });
});
