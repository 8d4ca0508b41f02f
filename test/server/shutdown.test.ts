import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../gen/grpc/health/v1/health_pb.js";

test("SIGTERM with a stream open: NOT_SERVING is sent, the stream ends cleanly, the process exits 0", async () => {
  const dir = mkdtempSync(join(tmpdir(), "beholder-shutdown-"));
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DB_PATH: join(dir, "s.db"), LOG_FORMAT: "json", API_KEY: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    const lines: Record<string, unknown>[] = [];
    const listening = new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout }).on("line", (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        if (entry.msg === "listening") resolve(entry.port as number);
      });
      child.once("exit", (code) => reject(new Error(`server exited early with ${code}`)));
    });
    const port = await listening;
    const health = createClient(Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }));
    const seen: Status[] = [];
    const watching = (async () => {
      for await (const res of health.watch({ service: "" })) {
        seen.push(res.status);
        if (seen.length === 1) child.kill("SIGTERM");
      }
    })();
    await watching; // rejects if the stream ends with an error
    assert.deepEqual(seen, [Status.SERVING, Status.NOT_SERVING]);
    const [code] = await once(child, "exit");
    assert.equal(code, 0);
    assert.ok(lines.some((l) => l.msg === "stopped"));
  } finally {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});
