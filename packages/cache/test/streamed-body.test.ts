import { readdirSync } from "node:fs";
import { join } from "node:path";
import { builtinSerializers } from "@lp/core/internal";
import { describe, expect, it } from "vitest";
import { CacacheStore } from "../src/index.js";
import { runChild, tempDir, warnings } from "./helpers.js";

const rows = (tag: string) => Array.from({ length: 300_000 }, (_, i) => ({ i, tag, payload: `${"x".repeat(60)}${i}` }));

/** The stored result of the fixture's task, read by a fresh store; undefined when there is none. */
async function storedRows(dir: string): Promise<{ value: unknown; problems: string[] } | undefined> {
  const w = warnings();
  const store = new CacacheStore({ dir, onWarning: w.onWarning });
  try {
    const stored = await store.get("Data");
    if (!stored) return undefined;
    return { value: builtinSerializers.get(stored.meta.serializer)!.deserialize(stored.body), problems: w.list.map((x) => x.problem) };
  } finally {
    await store.close();
  }
}

const tempFiles = (dir: string) => readdirSync(join(dir, "content", "lp-tmp")).filter((name) => !name.startsWith(`${process.pid}-`));

describe("CacacheStore.openBody", () => {
  it("takes a big body once the store is open, and declines one before, or one small enough for the journal", async () => {
    const store = new CacacheStore({ dir: join(tempDir(), "store") });
    expect(store.openBody("A", 64 * 1024 * 1024)).toBeUndefined();
    await store.open();
    expect(store.openBody("A", 100_000)).toBeUndefined();
    const sink = store.openBody("A", 64 * 1024 * 1024);
    expect(sink).toBeDefined();
    await sink!.abort();
    expect(() => store.openBody("", 64 * 1024 * 1024)).toThrow(/CacacheStore.openBody\(""\): expected `key` to be a non-empty string/i);
    await store.close();
  });
});

describe("a big array stored as it is packed (cacache store)", () => {
  it("is written in pieces by a real run, and reads back exactly in a new process's store", { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const run = await runChild("big-array-run.mjs", [dir, "one"]);
    expect(run.stderr).toBe("");
    expect(run.lines).toContain("opened sink");
    expect(run.lines.filter((l) => l.startsWith("appended ")).length).toBeGreaterThan(1);
    expect(run.lines).toContain("done Data");
    const got = await storedRows(dir);
    expect(got?.problems).toEqual([]);
    expect(got?.value).toEqual(rows("one"));
    expect(tempFiles(dir)).toEqual([]);
  });

  it("killed with SIGKILL mid-write serves no partial result: the earlier one stays, and the next run stores the new one", { timeout: 120_000 }, async () => {
    const dir = tempDir();
    expect((await runChild("big-array-run.mjs", [dir, "first"])).lines).toContain("done Data");
    const killed = await runChild("big-array-run.mjs", [dir, "second", "2"], (lines) => lines.includes("appended 2"));
    expect(killed.killed).toBe(true);
    expect(killed.lines).not.toContain("done Data");
    expect(tempFiles(dir), "the killed run's temporary file").toHaveLength(1);
    const after = await storedRows(dir);
    expect(after?.problems).toEqual([]);
    expect(after?.value).toEqual(rows("first"));
    const again = await runChild("big-array-run.mjs", [dir, "third"]);
    expect(again.lines).toContain("done Data");
    expect((await storedRows(dir))?.value).toEqual(rows("third"));
    const store = new CacacheStore({ dir });
    await store.prune(Date.now());
    await store.close();
    expect(tempFiles(dir), "a dead writer's temporary file is removed by prune").toEqual([]);
  });
});
