import { builtinSerializers } from "@lp/core/internal";
import { describe, expect, it } from "vitest";
import { CacacheStore } from "../src/index.js";
import { runChild, tasksSaid, tempDir, warnings } from "./helpers.js";

const TASKS = 48;
const expected = (i: number) => ({ i, data: Buffer.alloc(i % 5 === 0 ? 100_000 + i : 100 + i, i % 251) });
const putBody = (k: number, writer: string, round: number) => {
  const body = Buffer.alloc(k % 7 === 0 ? 70_000 + k : 50 + (k % 100), k % 256);
  body.write(`${k}:${writer}:${round}:`, 0);
  return body;
};

/** Every task's stored result, read back by a fresh store and checked against what the task returns. */
async function checkResults(dir: string): Promise<void> {
  const w = warnings();
  const store = new CacacheStore({ dir, onWarning: w.onWarning });
  for (let i = 0; i < TASKS; i++) {
    const stored = await store.get(`T${i}`);
    expect(stored, `T${i} is stored`).toBeDefined();
    expect(builtinSerializers.get(stored!.meta.serializer)!.deserialize(stored!.body)).toEqual(expected(i));
  }
  await store.close();
  expect(w.list).toEqual([]);
}

describe("a run killed with SIGKILL", () => {
  it("keeps every finished task; the next run runs only what had not finished", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const everDone = new Set<string>();
    // Killed after 5 tasks, then after 9 more, then left to finish. A killed run holds every task
    // started after `hold`, and the kill waits for one of those, so it always lands mid-run
    // (with the tasks between `killAfter` and `hold` possibly still storing).
    for (const killAfter of [5, 9, undefined]) {
      const hold = killAfter === undefined ? [] : ["1", String(killAfter + 4)];
      const killWhen = (lines: readonly string[]) => tasksSaid(lines, "done").length >= killAfter! && tasksSaid(lines, "held").length > 0;
      const run = await runChild("pipeline-run.mjs", [dir, String(TASKS), ...hold], killAfter ? killWhen : undefined);
      expect(run.stderr).toBe("");
      expect(run.killed).toBe(killAfter !== undefined);
      const done = tasksSaid(run.lines, "done");
      const cached = tasksSaid(run.lines, "cached");
      expect(run.lines.filter((l) => l.startsWith("fail") || l.startsWith("integrity body"))).toEqual([]);
      // Finished before: never run again.
      expect(done.filter((t) => everDone.has(t))).toEqual([]);
      if (killAfter === undefined) {
        expect(cached.filter((t) => everDone.has(t)).sort()).toEqual([...everDone].sort());
        expect(done.length + cached.length).toBe(TASKS);
        expect(run.lines.at(-1)).toBe(`summary ${JSON.stringify({ total: TASKS, executed: done.length, cached: cached.length, skipped: 0, failed: 0, upstreamFailed: 0, cancelled: 0 })}`);
      } else {
        expect(done.length).toBeGreaterThanOrEqual(killAfter);
        expect(done.length).toBeLessThanOrEqual(killAfter + 4);
        expect(tasksSaid(run.lines, "held").filter((t) => done.includes(t))).toEqual([]);
      }
      for (const t of done) everDone.add(t);
    }
    await checkResults(dir);
  });

  it("while storing as fast as it can loses no acknowledged put and shows no partial one", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const run = await runChild("put-loop.mjs", [dir, "A"], (lines) => lines.length >= 600);
    expect(run.killed).toBe(true);
    const lastAcked = new Map<number, number>();
    for (const line of run.lines) {
      const m = /^ok K(\d+) (\d+)$/.exec(line);
      if (m) lastAcked.set(Number(m[1]), Number(m[2]));
    }
    expect(lastAcked.size).toBe(40);

    const w = warnings();
    const store = new CacacheStore({ dir, onWarning: w.onWarning });
    for (let k = 0; k < 40; k++) {
      const stored = await store.get(`K${k}`);
      expect(stored, `K${k} survives`).toBeDefined();
      const round = Number(Buffer.from(stored!.body.subarray(0, 40)).toString("latin1").split(":")[2]);
      // The last acknowledged version, or one that finished just before the kill.
      expect([lastAcked.get(k), lastAcked.get(k)! + 1]).toContain(round);
      expect(Buffer.compare(stored!.body, putBody(k, "A", round))).toBe(0);
    }
    expect(w.list.filter((x) => x.problem.startsWith("body"))).toEqual([]);
    await store.close();
  });
});

/** What big-put-loop.mjs stores for key k in round r. */
const bigBody = (k: number, r: number) => {
  const size = 9 * 1024 * 1024 + 7;
  const body = Buffer.alloc(size, (k * 31 + r) % 256);
  for (let i = 0; i + 16 <= size; i += 1024 * 1024) body.write(`${k}:${r}:`, i, "latin1");
  return body;
};

describe("a process killed with SIGKILL while it stores big bodies with putHashing", () => {
  const told = (lines: readonly string[]) => lines.length >= 8 && lines.at(-1)!.startsWith("told");
  const writing = (lines: readonly string[]) => lines.length >= 8 && lines.at(-1)!.startsWith("ok");
  it.each([
    ["just after the store told their digest, before they were durable", told, "copied"],
    ["while they were being copied and hashed", writing, "copied"],
    ["as owned (written without a copy), just after the store told their digest", told, "owned"],
    ["as owned (written without a copy), while they were being hashed and written", writing, "owned"],
  ])("%s loses no acknowledged put and shows no partial or mixed one", { timeout: 60_000 }, async (_when, killWhen, how) => {
    const dir = tempDir();
    const run = await runChild("big-put-loop.mjs", [dir, "1000", how], killWhen);
    expect(run.killed).toBe(true);
    expect(run.lines.filter((l) => l.startsWith("integrity"))).toEqual([]);
    const lastAcked = new Map<number, number>();
    for (const line of run.lines) {
      const m = /^ok K(\d+) (\d+)$/.exec(line);
      if (m) lastAcked.set(Number(m[1]), Number(m[2]));
    }
    const w = warnings();
    const store = new CacacheStore({ dir, onWarning: w.onWarning });
    for (let k = 0; k < 3; k++) {
      const stored = await store.get(`K${k}`);
      const acked = lastAcked.get(k);
      if (acked === undefined && !stored) continue;
      expect(stored, `K${k} survives`).toBeDefined();
      const round = Number(Buffer.from(stored!.body.subarray(0, 16)).toString("latin1").split(":")[1]);
      // The last acknowledged version, or one that finished just before the kill.
      expect(acked === undefined ? [0] : [acked, acked + 1]).toContain(round);
      expect(Buffer.compare(stored!.body, bigBody(k, round))).toBe(0);
    }
    expect(w.list).toEqual([]);
    await store.close();
  });
});

describe("two processes on the same store at once", () => {
  it("running the same pipeline both finish, and leave every result intact", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const runs = await Promise.all([runChild("pipeline-run.mjs", [dir, String(TASKS)]), runChild("pipeline-run.mjs", [dir, String(TASKS)])]);
    for (const run of runs) {
      expect(run.stderr).toBe("");
      expect(run.lines.filter((l) => !l.startsWith("done") && !l.startsWith("cached") && !l.startsWith("summary"))).toEqual([]);
      expect(run.lines.at(-1)).toMatch(/^summary .*"failed":0/);
    }
    const after = await runChild("pipeline-run.mjs", [dir, String(TASKS)]);
    expect(tasksSaid(after.lines, "cached")).toHaveLength(TASKS);
    await checkResults(dir);
  });

  it("storing the same keys while reopening (and compacting) never corrupt it", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const rounds = 12;
    const runs = await Promise.all(["A", "B"].map((id) => runChild("put-loop.mjs", [dir, id, String(40 * rounds), "2"])));
    for (const run of runs) {
      expect(run.stderr).toBe("");
      expect(run.lines.at(-1)).toBe("finished");
      expect(run.lines.filter((l) => l.startsWith("integrity"))).toEqual([]);
    }
    const w = warnings();
    const store = new CacacheStore({ dir, onWarning: w.onWarning });
    for (let k = 0; k < 40; k++) {
      const body = Buffer.from((await store.get(`K${k}`))!.body);
      const [key, writer, round] = body.subarray(0, 40).toString("latin1").split(":");
      expect(Number(key)).toBe(k);
      expect(Number(round)).toBe(rounds - 1);
      expect(Buffer.compare(body, putBody(k, writer!, rounds - 1))).toBe(0);
    }
    expect(await store.list()).toHaveLength(40);
    expect(w.list).toEqual([]);
    await store.close();
  });
});
