import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { expect, it } from "vitest";
import { runCli } from "../src/index.js";
import { PKG } from "./support/processes.js";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

process.env.LP_FIXTURE_STORE ??= join(mkdtempSync(join(tmpdir(), "lp-shell-redis-")), "store.json");

it("lp run --redis with no Redis there fails before the run, naming the URL", async () => {
  const port = await freePort();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = "";
  let out = "";
  stderr.on("data", (d: Buffer) => (err += d.toString()));
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  const code = await runCli(["run", "test/fixtures/numbers.js", "--redis", `redis://127.0.0.1:${port}`], {
    stdout,
    stderr,
    cwd: PKG,
    env: { NO_COLOR: "1" },
  });
  expect(code).toBe(1);
  expect(err).toContain(`Redis at redis://127.0.0.1:${port} is unreachable`);
  expect(out).not.toContain("Starting pipeline");
});
