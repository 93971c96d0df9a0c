import { describe, expect, it } from "vitest";
import type { LazyResultMeta, ResultMeta } from "../src/contracts/store.js";
import { decideForRun, decideTask } from "../src/freshness/decide.js";
import { sessionId } from "../src/freshness/session.js";
import { MemoryStore, Task, task } from "../src/index.js";
import { decidedTask } from "./fixtures/decided-task.js";
import { quietPipeline } from "./helpers.js";

/** `meta` with its components behind a function that counts its calls. */
function lazily(meta: ResultMeta, calls: { n: number }, decoded = () => structuredClone(meta.components)): LazyResultMeta {
  const { components: _, ...rest } = meta;
  return {
    ...rest,
    components: () => {
      calls.n++;
      return decoded();
    },
  };
}

/** A memory store that leaves components to decode, counting how often they are. */
class LazyStore extends MemoryStore {
  readonly calls = { n: 0 };
  async getDecisionMeta(key: string): Promise<LazyResultMeta | undefined> {
    const meta = await this.getMeta(key);
    return meta && lazily(meta, this.calls);
  }
}

describe("a decision on metadata whose components are left to decode", () => {
  const { t, upstream, components, stored } = decidedTask();
  const cases: [string, ResultMeta, boolean, boolean][] = [
    ["fresh", stored({}), false, false],
    ["forced", stored({}), true, false],
    ["expired", stored({ expiresAt: 5 }), false, false],
    ["ended with its session", stored({ session: `${sessionId()}-not` }), false, false],
    ["upstream changed", stored({ fingerprint: "x", components: { ...components, upstream: { Up: "sha256-old" } } }), false, true],
    ["code changed", stored({ fingerprint: "x", components: { ...components, code: "other" } }), false, true],
    ["version changed", stored({ fingerprint: "x", components: { ...components, version: "0" } }), false, true],
  ];

  it.each(cases)("decides as on the whole metadata, decoding the components only to explain a change: %s", async (_, meta, forced, explains) => {
    for (const quickly of [true, false]) {
      for (const answer of [(m: LazyResultMeta) => m, (m: LazyResultMeta) => Promise.resolve(m)]) {
        const calls = { n: 0 };
        const lazy = answer(lazily(meta, calls));
        const got = quickly
          ? await decideForRun(t, lazy, "/", upstream, 10, forced)
          : await decideTask({ task: t, meta: lazy, cwd: "/", upstreamDigest: upstream, now: 10, forced });
        const whole = await decideTask({ task: t, meta, cwd: "/", upstreamDigest: upstream, now: 10, forced });
        expect(got.decision).toEqual(whole.decision);
        expect(calls.n).toBe(explains ? 1 : 0);
      }
    }
  });

  it("reads as metadata in another format when the components do not decode", async () => {
    const calls = { n: 0 };
    const lazy = lazily(stored({ fingerprint: "x" }), calls, () => undefined as never);
    const got = await decideForRun(t, lazy, "/", upstream, 10, false);
    expect(got.decision).toEqual((await decideTask({ task: t, meta: stored({ components: undefined as never }), cwd: "/", upstreamDigest: upstream, now: 10, forced: false })).decision);
    expect(got.decision.reason.kind).toBe("unreadable");
  });
});

describe("a run on a store that leaves components to decode", () => {
  const build = (pipeline: ReturnType<typeof quietPipeline>["pipeline"], code: number) => {
    const a = task("A", { codeHash: false, version: String(code), run: () => code });
    pipeline.add([a, task("B", { dependencies: [a], codeHash: false, run: () => 2 }), task("C", { codeHash: false, run: () => 3 })]);
  };

  it("decodes none of them when every result is fresh, and explains a change from them", async () => {
    const store = new LazyStore();
    const first = quietPipeline("P", { store });
    build(first.pipeline, 1);
    expect((await first.pipeline.execute()).totals.executed).toBe(3);
    expect(store.calls.n).toBe(0);

    const warm = quietPipeline("P", { store });
    build(warm.pipeline, 1);
    const cached = await warm.pipeline.execute();
    expect(cached.totals.cached).toBe(3);
    expect(store.calls.n).toBe(0);

    const changed = quietPipeline("P", { store });
    build(changed.pipeline, 2);
    const summary = await changed.pipeline.execute();
    expect(summary.tasks.map((r) => [r.name, r.state, r.decision?.reason.kind]).sort()).toEqual([
      ["A", "executed", "version-changed"],
      ["B", "executed", "upstream-changed"],
      ["C", "cached", "fresh"],
    ]);
    expect(store.calls.n).toBe(2);
  });
});

describe("a task with no stored result", () => {
  it("is given one decision, shared and frozen: a first run's records keep it for every task", async () => {
    const t = new Task("T", { codeHash: false, run: () => 2 });
    const a = await decideForRun(t, undefined, "/", () => undefined, 10, false);
    const b = await decideForRun(t, Promise.resolve(undefined), "/", () => undefined, 11, false);
    expect(a.decision).toBe(b.decision);
    expect(a.decision).toEqual({ run: true, reason: { kind: "never-run" }, text: "never run (no stored result)" });
    expect(Object.isFrozen(a.decision) && Object.isFrozen(a.decision.reason)).toBe(true);
  });
});
