import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import { sessionId } from "../src/freshness/session.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const internal = pathToFileURL(join(import.meta.dirname, "..", "dist", "internal.js")).href;

/** Runs an ES module body in a new Node process and answers what it printed as JSON. */
function inChild<T>(body: string, nodeArgs: string[] = []): T {
  const r = spawnSync(process.execPath, [...nodeArgs, "--input-type=module", "-e", body], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as T;
}

it("the session id is a version 4 UUID, the same at every call", () => {
  expect(sessionId()).toMatch(UUID_V4);
  expect(sessionId()).toBe(sessionId());
});

it("every process and every worker thread gets a session id of its own", () => {
  const body = `
    const { sessionId } = await import(${JSON.stringify(internal)});
    const { Worker } = await import("node:worker_threads");
    const inWorker = await new Promise((resolve, reject) => {
      const w = new Worker(${JSON.stringify(`Promise.all([import(${JSON.stringify(internal)}), import("node:worker_threads")]).then(([m, w]) => w.parentPort.postMessage(m.sessionId()))`)}, { eval: true });
      w.once("message", (id) => { resolve(id); w.terminate(); });
      w.once("error", reject);
    });
    console.log(JSON.stringify([sessionId(), inWorker]));`;
  const ids = Array.from({ length: 4 }, () => inChild<[string, string]>(body)).flat();
  for (const id of ids) expect(id).toMatch(UUID_V4);
  expect(new Set(ids).size).toBe(ids.length);
});

it("processes whose Math.random is seeded alike still get ids of their own, and each finds the other's session ended", () => {
  // What one process stored with its session, and whether it has expired for this one.
  const body = (seedFirst: boolean) => `
    ${seedFirst ? "let s = 42; Math.random = () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;" : ""}
    const { sessionId, isExpired } = await import(${JSON.stringify(internal)});
    const other = process.env.LP_OTHER_SESSION;
    console.log(JSON.stringify({ id: sessionId(), otherExpired: other ? isExpired({ session: other, expiresAt: null }, Date.now()) : null }));`;
  for (const [nodeArgs, seedFirst] of [[["--random-seed=7"], false], [[], true]] as const) {
    const first = inChild<{ id: string }>(body(seedFirst), [...nodeArgs]);
    process.env.LP_OTHER_SESSION = first.id;
    try {
      const second = inChild<{ id: string; otherExpired: boolean }>(body(seedFirst), [...nodeArgs]);
      expect(first.id).toMatch(UUID_V4);
      expect(second.id, nodeArgs.join(" ") || "Math.random seeded before import").not.toBe(first.id);
      expect(second.otherExpired).toBe(true);
    } finally {
      delete process.env.LP_OTHER_SESSION;
    }
  }
});
