import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

it("Ctrl-C (SIGINT) stops the run, keeps finished results and reports the run as interrupted", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "fixtures", "sigint-pipeline.ts")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes("long-started\n") && !child.killed) child.kill("SIGINT");
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  const result = JSON.parse(out.trim().split("\n").at(-1)!);
  expect(result).toEqual({ states: ["executed", "cancelled", "cancelled"], interrupted: true, quick: "done" });
  expect(code).toBe(130);
}, 20_000);
