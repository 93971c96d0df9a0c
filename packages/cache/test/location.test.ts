import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { Pipeline, type ResultStore, type StoreOption, Task, silentLogger } from "@lp/core";
import { sampleMeta } from "@lp/core/conformance";
import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import { CacacheStore, cacacheStore, defaultHome, folderName, listCachedPipelines, pipelineDir } from "../src/index.js";
import { tempDir, warnings } from "./helpers.js";

const NAMES = ["../../etc", "..", ".", "a/b", "a\\b", "a%2Fb", "with space", "ünïcode ✓", "Ünïcode ✓".normalize("NFD"), "x.", "C:evil", "x".repeat(400)];

afterEach(() => vi.unstubAllEnvs());

describe("where results are kept", () => {
  it("defaults to the project's .little_pipelines folder, moved by LP_HOME", () => {
    vi.stubEnv("LP_HOME", "");
    // Run from this package: its package.json marks the project.
    expect(defaultHome()).toBe(join(process.cwd(), ".little_pipelines"));
    expect(defaultHome()).not.toBe(join(homedir(), ".little_pipelines"));
    const project = { projectRoot: "/p", home: "/p/.little_pipelines" };
    expect(cacacheStore()("Example1", project).dir).toBe(join("/p/.little_pipelines", "Example1"));
    const home = tempDir();
    vi.stubEnv("LP_HOME", home);
    expect(new CacacheStore({ pipeline: "Example1" }).dir).toBe(join(home, "Example1"));
    expect(cacacheStore()("Example1").dir).toBe(join(home, "Example1"));
    expect(cacacheStore({ home: "/elsewhere" })("Example1", project).dir).toBe(join("/elsewhere", "Example1"));
  });

  it("`home` overrides LP_HOME, and `dir` overrides both", () => {
    vi.stubEnv("LP_HOME", tempDir());
    const home = tempDir();
    expect(cacacheStore({ home })("P").dir).toBe(join(home, "P"));
    const dir = join(tempDir(), "exact");
    expect(cacacheStore({ home, dir })("P").dir).toBe(dir);
    expect(new CacacheStore({ dir }).description).toBe(`cacache:${dir}`);
  });

  it("pipeline names map to distinct folders directly under home, whatever they contain", async () => {
    const home = tempDir();
    const folders = NAMES.map(folderName);
    expect(new Set(folders).size).toBe(NAMES.length);
    for (const f of folders) {
      expect(f).not.toMatch(/[/\\\0]/);
      expect(f).not.toMatch(/^\./);
      expect(f.length).toBeLessThanOrEqual(120);
    }
    for (const name of NAMES) {
      const store = new CacacheStore({ pipeline: name, home });
      await store.open();
      await store.close();
    }
    expect(readdirSync(home).sort()).toEqual([...folders].sort());
    expect((await listCachedPipelines(home)).map((p) => p.pipeline).sort()).toEqual([...NAMES].sort());
    expect(pipelineDir("../../etc", home)).toBe(join(home, folderName("../../etc")));
  });

  it("task names never become paths", async () => {
    const home = tempDir();
    const store = new CacacheStore({ pipeline: "P", home, inlineMaxBytes: 0 });
    for (const key of ["../../../escape", "/abs/path", "a/b", "ünï ✓"]) {
      const body = Buffer.from(key);
      await store.put(key, body, sampleMeta(key, body));
    }
    await store.close();
    expect(readdirSync(home)).toEqual(["P"]);
    const all = readdirSync(join(home, "P"), { recursive: true }).map(String);
    expect(all.some((p) => p.includes("escape") || p.includes("abs"))).toBe(false);
  });

  it("creates the cache folder private to the user (0700)", async () => {
    const home = join(tempDir(), "new-home");
    const store = new CacacheStore({ pipeline: "Private", home });
    await store.open();
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(store.dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(store.dir, "journal")).mode & 0o777).toBe(0o700);
    await store.close();
  });

  it("refuses a folder that already belongs to another pipeline", async () => {
    const home = tempDir();
    mkdirSync(join(home, "Report"));
    writeFileSync(join(home, "Report", "pipeline.json"), JSON.stringify({ pipeline: "report", format: 1 }));
    const store = new CacacheStore({ pipeline: "Report", home });
    await expect(store.open()).rejects.toMatchObject({ code: "LP_CACHE_NAME_CLASH", pipeline: "Report", owner: "report" });
    await expect(store.open()).rejects.toThrow(/Rename one of the pipelines, or give this one its own folder with the `dir` option/);
  });

  it("reports a folder it cannot create as a StoreError that says where and what to do", async () => {
    const file = join(tempDir(), "not-a-folder");
    writeFileSync(file, "");
    const store = new CacacheStore({ pipeline: "P", home: file });
    await expect(store.open()).rejects.toMatchObject({ code: "LP_STORE" });
    await expect(store.open()).rejects.toThrow(file);
  });

  it("serves as a pipeline's store through cacacheStore()", async () => {
    const home = tempDir();
    const make = () => new Pipeline("Factory", { store: cacacheStore({ home }), logger: silentLogger() }).add(new Task("T", { run: () => "kept" }));
    const first = make();
    expect((await first.execute()).totals.executed).toBe(1);
    await first.close();
    const second = make();
    expect((await second.execute()).totals.cached).toBe(1);
    expect(await second.getResult("T")).toBe("kept");
    expect(second.store.description).toBe(`cacache:${join(home, "Factory")}`);
    await second.close();
  });
});

describe("options", () => {
  it.each([
    [{ maxSize: 0 }, /expected `maxSize` to be a number of bytes above 0, got 0/],
    [{ maxSize: "1GB" }, /`maxSize`.*got "1GB"/],
    [{ home: "" }, /`home` to be a folder path/],
    [{ dir: 5 }, /`dir` to be a folder path, got 5/],
    [{ onWarning: "stderr" }, /`onWarning` to be a function/],
    [{ inlineMaxBytes: -1 }, /`inlineMaxBytes` to be a whole number of bytes from 0 to 16777216, got -1/],
    [{ fsync: "yes" }, /`fsync` to be true or false/],
  ])("rejects %o at once, naming the option", (options, message) => {
    expect(() => cacacheStore(options as never)).toThrow(message);
    expect(() => cacacheStore(options as never)).toThrow(/^cacacheStore\(\): /);
    expect(() => new CacacheStore({ pipeline: "P", ...(options as object) })).toThrow(message);
  });

  it("needs a pipeline name or a folder", () => {
    expect(() => new CacacheStore({})).toThrow(/new CacacheStore\(\): expected `pipeline` to be a pipeline name \(or give `dir`\)/);
  });

  it("rejects a digest that is not sha256, naming the key", async () => {
    const store = new CacacheStore({ dir: tempDir() });
    const body = Buffer.from("x");
    await expect(store.put("K", body, { ...sampleMeta("K", body), digest: "md5-abc" })).rejects.toThrow(/CacacheStore\.put\("K"\): expected `meta\.digest`/);
  });

  it.each([
    ["small", 1],
    ["big", 100_000],
  ])("a %s body stored under a digest that is not its own reads as missing, with a warning", async (_, size) => {
    const w = warnings();
    const store = new CacacheStore({ dir: tempDir(), onWarning: w.onWarning });
    const body = Buffer.alloc(size, 1);
    await store.put("K", body, sampleMeta("K", Buffer.alloc(size, 2)));
    expect(await store.get("K")).toBeUndefined();
    expect(w.list.map((x) => [x.problem, x.key])).toEqual([["body-corrupt", "K"]]);
    expect(await store.has("K")).toBe(false);
  });
});

describe("types", () => {
  it("cacacheStore() is a pipeline store option, and CacacheStore a ResultStore", () => {
    expectTypeOf(cacacheStore()).toMatchTypeOf<StoreOption>();
    expectTypeOf<CacacheStore>().toMatchTypeOf<ResultStore>();
    expectTypeOf(cacacheStore({ home: "/x" })("P")).toEqualTypeOf<CacacheStore>();
  });
});
