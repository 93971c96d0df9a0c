import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import { SESSION_ID } from "../src/freshness/session.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const internal = pathToFileURL(join(import.meta.dirname, "..", "dist", "internal.js")).href;

it("the session id is a version 4 UUID", () => {
  expect(SESSION_ID).toMatch(UUID_V4);
});

it("every process and every worker thread gets a session id of its own", () => {
  const body = `
    const { SESSION_ID } = await import(${JSON.stringify(internal)});
    const { Worker } = await import("node:worker_threads");
    const inWorker = await new Promise((resolve, reject) => {
      const w = new Worker(${JSON.stringify(`Promise.all([import(${JSON.stringify(internal)}), import("node:worker_threads")]).then(([m, w]) => w.parentPort.postMessage(m.SESSION_ID))`)}, { eval: true });
      w.once("message", (id) => { resolve(id); w.terminate(); });
      w.once("error", reject);
    });
    console.log(JSON.stringify([SESSION_ID, inWorker]));`;
  const ids = Array.from({ length: 4 }, () => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", body], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    return JSON.parse(r.stdout) as [string, string];
  }).flat();
  for (const id of ids) expect(id).toMatch(UUID_V4);
  expect(new Set(ids).size).toBe(ids.length);
});
