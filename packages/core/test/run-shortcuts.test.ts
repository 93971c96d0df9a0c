import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ResultMeta } from "../src/contracts/store.js";
import { componentsNow, computeComponents, fingerprintNow } from "../src/fingerprint/components.js";
import { combineFingerprint } from "../src/fingerprint/fingerprint.js";
import { decideForRun, decideTask } from "../src/freshness/decide.js";
import { sessionId } from "../src/freshness/session.js";
import { topologicalOrder } from "../src/graph/validate.js";
import { criticalPath } from "../src/run/critical-path.js";
import { makeSlots } from "../src/run/slot.js";
import { Task } from "../src/index.js";
import { decidedTask } from "./fixtures/decided-task.js";

// The run's quick ways must give exactly what the general ones give: the fingerprint is
// stored, so a different text would re-run every task of every pipeline once.

const names = fc.uniqueArray(fc.oneof(fc.constantFrom("__proto__", "constructor", "10", "2", "a", "B", "é", "t0", "t1"), fc.string({ minLength: 1, maxLength: 6 })), {
  maxLength: 6,
});
const digest = fc.option(fc.stringMatching(/^sha256-[A-Za-z0-9+/]{4,12}$/), { nil: undefined });

describe("a task's fingerprint at once", () => {
  it("is the digest combined from its components, whatever its dependencies are named", () => {
    fc.assert(
      fc.property(names, fc.array(digest, { minLength: 6, maxLength: 6 }), fc.option(fc.string({ maxLength: 4 }), { nil: undefined }), (deps, digests, version) => {
        const t = new Task("T", { dependencies: deps, codeHash: false, version, run: () => 1 });
        const upstream = (name: string) => digests[deps.indexOf(name)];
        const components = computeComponents(t, "/", upstream);
        expect(components).not.toBeInstanceOf(Promise);
        expect(fingerprintNow(t, upstream)).toBe(combineFingerprint(components as Exclude<typeof components, Promise<unknown>>));
        expect(componentsNow(t, upstream)).toEqual(components);
      }),
    );
  });

  it("is not known at once while a digest is pending or the task has input files", () => {
    const t = new Task("T", { dependencies: ["A", "B"], codeHash: false, run: () => 1 });
    const pending = (name: string) => (name === "B" ? Promise.resolve("sha256-b") : "sha256-a");
    expect(fingerprintNow(t, pending)).toBeUndefined();
    expect(componentsNow(t, pending)).toBeUndefined();
    const withInputs = new Task("I", { inputFiles: ["data.csv"], codeHash: false, run: () => 1 });
    expect(fingerprintNow(withInputs, () => undefined)).toBeUndefined();
    expect(componentsNow(withInputs, () => undefined)).toBeUndefined();
  });
});

describe("a run's decision once the metadata is known", () => {
  const { t, upstream, components, stored } = decidedTask();
  const cases: [string, ResultMeta | undefined, boolean][] = [
    ["fresh", stored({}), false],
    ["forced", stored({}), true],
    ["never run", undefined, false],
    ["stored in another format", stored({ components: undefined as never }), false],
    ["upstream changed", stored({ fingerprint: "x", components: { ...components, upstream: { Up: "sha256-old" } } }), false],
    ["code changed", stored({ fingerprint: "x", components: { ...components, code: "other" } }), false],
    ["version changed", stored({ fingerprint: "x", components: { ...components, version: "0" } }), false],
    ["expired", stored({ expiresAt: 5 }), false],
    ["ended with its session", stored({ session: `${sessionId()}-not` }), false],
  ];

  it.each(cases)("decides as decideTask does: %s", async (_, meta, forced) => {
    for (const answer of [meta, Promise.resolve(meta)]) {
      const quick = await decideForRun(t, answer, "/", upstream, 10, forced);
      const full = await decideTask({ task: t, meta: answer, cwd: "/", upstreamDigest: upstream, now: 10, forced });
      expect(quick.decision).toEqual(full.decision);
      expect(quick.fingerprint).toBe(full.fingerprint);
      // Components are computed for a task that runs; a result used as it is needs none.
      expect(quick.components).toEqual(quick.decision.run ? full.components : undefined);
    }
  });

  it("takes as many turns as decideTask, on which the order of output depends", async () => {
    const turns = async (decide: () => Promise<unknown>) => {
      let count = 0;
      let done = false;
      void decide().then(() => {
        done = true;
      });
      while (!done) {
        await Promise.resolve();
        count++;
      }
      return count;
    };
    for (const meta of [stored({}), undefined]) {
      for (const answer of [() => meta, () => Promise.resolve(meta)]) {
        const quick = await turns(() => decideForRun(t, answer(), "/", upstream, 10, false));
        expect(quick).toBe(await turns(() => decideTask({ task: t, meta: answer(), cwd: "/", upstreamDigest: upstream, now: 10, forced: false })));
      }
    }
  });

  it("decides a task whose upstream digest is read from the store as decideTask does", async () => {
    const pending = () => Promise.resolve("sha256-up");
    const quick = await decideForRun(t, stored({}), "/", pending, 10, false);
    expect(quick.decision.reason.kind).toBe("fresh");
    expect(quick.components).toEqual(components);
  });

  it("gives every fresh task one decision that cannot be changed by accident", async () => {
    const a = await decideForRun(t, stored({}), "/", upstream, 10, false);
    const b = await decideForRun(t, stored({}), "/", upstream, 11, false);
    expect(a.decision).toBe(b.decision);
    expect(Object.isFrozen(a.decision)).toBe(true);
  });
});

/** Kahn's algorithm as plainly as it can be written: the order the graph module must keep. */
function referenceOrder(tasks: Map<string, Task<unknown>>): string[] {
  const indegree = new Map([...tasks.values()].map((t) => [t.name, t.dependencies.length]));
  const queue = [...tasks.values()].filter((t) => t.dependencies.length === 0).map((t) => t.name);
  for (let k = 0; k < queue.length; k++) {
    for (const t of tasks.values()) {
      if (!t.dependencies.includes(queue[k]!)) continue;
      indegree.set(t.name, indegree.get(t.name)! - 1);
      if (indegree.get(t.name) === 0) queue.push(t.name);
    }
  }
  return queue;
}

// Random graphs: each task depends on a few others by index (later ones make cycles), some unknown.
const graphs = fc.array(fc.array(fc.integer({ min: -1, max: 11 }), { maxLength: 4 }), { minLength: 1, maxLength: 12 }).map((deps) => {
  const tasks = new Map<string, Task<unknown>>();
  deps.forEach((ds, i) => {
    const dependencies = ds.map((d) => (d < 0 || d >= deps.length ? `missing${d}` : `t${d}`));
    tasks.set(`t${i}`, new Task(`t${i}`, { dependencies, codeHash: false, run: () => i }));
  });
  return tasks;
});

describe("the run's order and slots", () => {
  it("orders tasks as Kahn's algorithm does, ties in the order they were added, leaving out cycles and unknown dependencies", () => {
    fc.assert(
      fc.property(graphs, (tasks) => {
        expect(topologicalOrder(tasks).map((t) => t.name)).toEqual(referenceOrder(tasks));
      }),
    );
  });

  it("links each slot to its in-run upstreams and dependents, in order", () => {
    fc.assert(
      fc.property(graphs, fc.integer({ min: 0, max: 2 ** 12 - 1 }), (tasks, pick) => {
        const order = [...tasks.values()];
        const selected = new Set(order.filter((_, i) => (pick >> i) & 1).map((t) => t.name));
        const slots = makeSlots(order, selected);
        expect([...slots.keys()]).toEqual(order.map((t) => t.name).filter((n) => selected.has(n)));
        for (const slot of slots.values()) {
          const ups = slot.task.dependencies.filter((d) => slots.has(d));
          const downs = [...slots.values()].filter((s) => s.task.dependencies.includes(slot.task.name));
          expect(slot.upstream.map((s) => s.task.name)).toEqual(ups);
          expect(slot.dependents).toEqual(downs);
          expect(slot.waiting).toBe(ups.length);
          expect(slot.readers).toBe(downs.length);
          expect(slot.held).toEqual([]);
        }
      }),
    );
  });

  it("makes a slot for every task when no selection is given", () => {
    fc.assert(
      fc.property(graphs, (tasks) => {
        const order = [...tasks.values()];
        const all = makeSlots(order, undefined);
        expect([...all.keys()]).toEqual(order.map((t) => t.name));
        expect([...all.values()].map((s) => s.dependents.map((d) => d.task.name))).toEqual(
          [...makeSlots(order, new Set(tasks.keys())).values()].map((s) => s.dependents.map((d) => d.task.name)),
        );
      }),
    );
  });

  it("finds the critical path of a long chain of executed tasks, first task first", () => {
    const order = Array.from({ length: 3000 }, (_, i) => new Task(`t${i}`, { dependencies: i === 0 ? [] : [`t${i - 1}`], codeHash: false, run: () => i }));
    const slots = makeSlots(order, new Set(order.map((t) => t.name)));
    let n = 0;
    for (const slot of slots.values()) {
      slot.record.state = slot.task.name === "t1500" ? "cached" : "executed";
      slot.finishOrder = ++n;
    }
    expect(criticalPath(slots)).toEqual(order.slice(1501).map((t) => t.name));
  });
});
