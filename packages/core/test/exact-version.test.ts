import { describe, expect, it } from "vitest";
import { MemoryStore, task } from "../src/index.js";
import { combineFingerprint } from "../src/fingerprint/fingerprint.js";
import { digestBytes } from "../src/internal.js";
import { quietPipeline } from "./helpers.js";

/** Builds Src → Dep; Dep's run calls `between` before reading Src. */
function build(store: MemoryStore, srcValue: () => string, between: () => Promise<void> = async () => {}) {
  const src = task("Src", { run: srcValue });
  const dep = task("Dep", {
    dependencies: [src],
    async run() {
      await between();
      return `dep(${await this.result(src)})`;
    },
  });
  const { pipeline } = quietPipeline("P", { store });
  return pipeline.add(src, dep);
}

describe("a dependent reads the exact upstream version its fingerprint records", () => {
  it("an upstream replaced by someone else mid-run runs again here, and the dependent records what it read", async () => {
    const store = new MemoryStore();
    let value = "v1";
    await build(store, () => value).execute();
    const v1 = (await store.getMeta("Src"))!.digest;

    // Another writer replaces Src after this run has decided it is fresh.
    const pipeline = build(store, () => value, async () => {
      value = "v2";
      const body = new Uint8Array(Buffer.from("not a v8 body"));
      await store.put("Src", body, { ...(await store.getMeta("Src"))!, digest: digestBytes(body), size: body.length });
    });
    const summary = await pipeline.execute({ forceTasks: ["Dep"] });
    expect(summary.ok).toBe(true);
    const dep = (await store.getMeta("Dep"))!;
    const src = (await store.getMeta("Src"))!;
    expect(src.digest).not.toBe(v1);
    expect(dep.components.upstream.Src).toBe(src.digest);
    // The stored fingerprint is that of the components stored, not of the ones decided on.
    expect(dep.fingerprint).toBe(combineFingerprint(dep.components));
    expect(src.fingerprint).toBe(combineFingerprint(src.components));
    expect(await pipeline.getResult("Dep")).toBe("dep(v2)");
  });

  it("an upstream outside the run that changes meanwhile fails the dependent with LP_RESULT_UNREADABLE", async () => {
    const store = new MemoryStore();
    await build(store, () => "v1").execute();
    const pipeline = build(store, () => "v1", async () => {
      const body = new Uint8Array(Buffer.from("other"));
      await store.put("Src", body, { ...(await store.getMeta("Src"))!, digest: digestBytes(body), size: body.length });
    });
    const summary = await pipeline.execute({ only: "Dep", withDependencies: false, forceTasks: ["Dep"] });
    const dep = summary.tasks.find((t) => t.name === "Dep")!;
    expect(dep.state).toBe("failed");
    expect(dep.error).toMatchObject({ code: "LP_RESULT_UNREADABLE" });
    expect(dep.error!.message).toContain('"Src"');
  });
});

describe("execute({ verify: true })", () => {
  it("reads every cached body and runs again the tasks whose body fails", async () => {
    const store = new MemoryStore();
    const pipeline = build(store, () => "v1");
    await pipeline.execute();
    // A store that does not verify on read: a body damaged behind its back.
    const stored = (await store.get("Src"))!;
    stored.body[stored.body.length - 1]! ^= 1;
    await store.put("Src", stored.body, stored.meta);

    const plain = await pipeline.execute();
    expect(plain.totals.cached).toBe(2); // metadata alone cannot tell
    const verified = await pipeline.execute({ verify: true });
    const src = verified.tasks.find((t) => t.name === "Src")!;
    expect(src.state).toBe("executed");
    expect(src.decision?.text).toContain("failed verification");
    expect(verified.tasks.find((t) => t.name === "Dep")!.state).toBe("cached");
    expect(await pipeline.getResult("Src")).toBe("v1");
  });
});
