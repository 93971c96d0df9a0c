import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseSync } from "oxc-parser";
import { describe, expect, it } from "vitest";
import { codeFingerprint, singleProcessFingerprint } from "../src/fingerprint/code-hash.js";
import { normalize } from "../src/fingerprint/normalize.js";
import { MemoryStore, task } from "../src/index.js";
import { quietPipeline, tempDir } from "./helpers.js";

type AnyFn = (...args: never[]) => unknown;

const norm = (text: string) => normalize(parseSync("x.ts", text, { sourceType: "module", preserveParens: false }).program.body);

describe("normalized code", () => {
  it("leaves out comments, formatting, quote style and types, and keeps what code does", () => {
    const base = norm("function run(x) { return helper(x, 'a') + 1; }");
    expect(norm("/* c */ function   run( x: number ): number {\n  // why\n  return helper(x, \"a\") + 1\n}")).toBe(base);
    expect(norm("function run(x) { return (helper(x as any, 'a')!) + 1; }")).toBe(base);
    expect(norm("function run(x) { return helper(x, 'a') + 2; }")).not.toBe(base);
    expect(norm("function run(x) { return helper(x, 'b') + 1; }")).not.toBe(base);
    expect(norm("function run(y) { return helper(y, 'a') + 1; }")).not.toBe(base);
    expect(norm("function run(x) { return helper(x, 'a') - 1; }")).not.toBe(base);
  });

  it("undoes the __name wrappers a TypeScript runner adds with keepNames", () => {
    expect(norm('const f = /* @__PURE__ */ __name((x) => x * 2, "f");')).toBe(norm("const f = (x) => x * 2;"));
    expect(norm('function g() { const h = () => 1; __name(h, "h"); return h(); }')).toBe(norm("function g() { const h = () => 1; return h(); }"));
  });
});

/** A scratch project: files by path, written under a fresh folder. */
function project(files: Record<string, string>): string {
  const root = tempDir("lp-fp-");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const FILES: Record<string, string> = {
  "package.json": JSON.stringify({ name: "p", type: "module", imports: { "#lib/*": "./lib/*.ts" } }),
  "tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@h/*": ["helpers/*"] } } }),
  "pipeline.ts": [
    'import { parseRow } from "#lib/rows";',
    'import { shout } from "@h/shout";',
    'import { twice } from "./util.js";',
    'import * as all from "./barrel";',
    'import { pkgFn } from "fake-pkg";',
    'import { readFileSync } from "node:fs";',
    'import type { Row } from "./types";',
    "const LIMIT = 10;",
    "const config = { limit: LIMIT };",
    "config.limit = 20;",
    "function unused() { return 0; }",
    'export const other = task("Other", { run() { return 1; } });',
    "",
  ].join("\n"),
  "lib/rows.ts": 'import { clean } from "./clean.js";\nexport function parseRow(s: string) { return clean(s).split(","); }\n',
  "lib/clean.ts": "export const clean = (s: string) => s.trim();\n",
  "helpers/shout.ts": "export const shout = (s: string) => s.toUpperCase();\n",
  "util.ts": "export const twice = (n: number) => n * 2;\n",
  "barrel.ts": 'export * from "./deep/a";\nexport { b as bee } from "./deep/b";\n',
  "deep/a.ts": "export const a = 1;\n",
  "deep/b.ts": "export const b = 2;\n",
  "node_modules/fake-pkg/package.json": JSON.stringify({ name: "fake-pkg", version: "1.2.3", type: "module", exports: "./index.js" }),
  "node_modules/fake-pkg/index.js": "export const pkgFn = () => 1;\n",
};

// Processes as the runtime sees them (their source text), referring to the module's names.
const proc = (body: string) => new Function(body) as AnyFn;
const fingerprint = (root: string, processes: Record<string, string>) =>
  codeFingerprint(join(root, "pipeline.ts"), new Map(Object.entries(processes).map(([k, v]) => [k, proc(v)])));

describe("the code a task can run", () => {
  it("follows package.json imports, tsconfig paths, .js → .ts, namespaces and export *", () => {
    const root = project(FILES);
    const fp = fingerprint(root, { run: "return parseRow(shout(String(twice(LIMIT)))).concat(all.a, all.bee)" });
    expect(Object.keys(fp.parts).sort()).toEqual([
      "function `run` in pipeline.ts",
      "helper `LIMIT` in pipeline.ts",
      "helper `a` in deep/a.ts",
      "helper `b` in deep/b.ts",
      "helper `clean` in lib/clean.ts",
      "helper `parseRow` in lib/rows.ts",
      "helper `shout` in helpers/shout.ts",
      "helper `twice` in util.ts",
    ]);
    expect(fp.note).toBeUndefined();
  });

  it("gives a task with one process the fingerprint its processes map would give, without the map", () => {
    const root = project(FILES);
    const file = join(root, "pipeline.ts");
    for (const [name, body] of [
      ["run", "return parseRow(shout(String(twice(LIMIT))))"],
      ["run", "return config.limit"],
      ["extract", "return pkgFn() + readFileSync.length"],
      ["__proto__", "return 1"],
      ["run", "return notDefinedAnywhere"],
    ] as const) {
      const fn = proc(body);
      const one = singleProcessFingerprint(file, name, fn);
      const viaMap = codeFingerprint(file, new Map([[name, fn]]));
      expect(one, `${name}: ${body}`).toEqual(viaMap);
      // Shared by every task with the same process name and analysis, either way.
      expect(singleProcessFingerprint(file, name, proc(body))).toBe(one);
      expect(Object.isFrozen(one) && Object.isFrozen(one.parts)).toBe(true);
    }
    // Outside any module file: the function's own source, noted.
    const loose = proc("return 2");
    expect(singleProcessFingerprint(undefined, "run", loose)).toEqual(codeFingerprint(undefined, new Map([["run", loose]])));
  });

  it("counts a package by name and version, not by content, and skips Node's built-ins", () => {
    const fp = fingerprint(project(FILES), { run: "return pkgFn() + readFileSync.length" });
    expect(fp.parts["package `fake-pkg`"]).toBe("1.2.3");
    expect(Object.keys(fp.parts).some((k) => k.includes("fs"))).toBe(false);
  });

  it("includes top-level statements that change a binding it uses", () => {
    const a = fingerprint(project(FILES), { run: "return config.limit" });
    const b = fingerprint(project({ ...FILES, "pipeline.ts": FILES["pipeline.ts"]!.replace("config.limit = 20", "config.limit = 30") }), { run: "return config.limit" });
    expect(Object.keys(a.parts)).toContain("helper `config` in pipeline.ts");
    expect(a.digest).not.toBe(b.digest);
  });

  it("changes with a helper's code, only for the tasks that use it, and not with its comments", () => {
    const fps = (files: Record<string, string>) => {
      const root = project(files);
      return [fingerprint(root, { run: "return parseRow('a')" }), fingerprint(root, { run: "return twice(1)" })];
    };
    const [rows, util] = fps(FILES);
    const [rows2, util2] = fps({ ...FILES, "lib/clean.ts": "export const clean = (s: string) => s.trimStart();\n" });
    expect(rows2!.digest).not.toBe(rows!.digest);
    expect(util2!.digest).toBe(util!.digest);
    const [rows3] = fps({ ...FILES, "lib/clean.ts": "// trims\nexport const clean = (s:string)=>s.trim()\n" });
    expect(rows3!.digest).toBe(rows!.digest);
  });

  it("never counts a task's own declaration (its description, other tasks) as a helper", () => {
    const fp = fingerprint(project(FILES), { run: "return other" });
    expect(Object.keys(fp.parts)).toEqual(["function `run` in pipeline.ts"]);
  });

  it("counts a module it cannot parse by its whole text", () => {
    const fp = fingerprint(project({ ...FILES, "util.ts": "export const twice = (n: number) => n * ;\n" }), { run: "return twice(1)" });
    expect(Object.keys(fp.parts)).toContain("module util.ts");
  });

  it("falls back to the function's own source when no module defined it, and says so", () => {
    const fp = codeFingerprint(undefined, new Map([["run", proc("return 1")]]));
    expect(fp.parts).toEqual({ "function `run`": expect.any(String) });
    expect(fp.note).toBe("code fingerprint: function source only (the task was not defined in a module file)");
  });

  it("says which names it could not follow, for a task built by a factory", async () => {
    const make = (n: number) => task("Made", { run: () => n * 2 });
    const { pipeline } = quietPipeline("P");
    pipeline.add(make(2));
    const [status] = await pipeline.status();
    expect(status!.codeNote).toBe(
      "code fingerprint: function source only for what is not followed: `n` is not a top-level binding of test/code-fingerprint.test.ts",
    );
  });
});

describe("results stored by the earlier fingerprint scheme", () => {
  it("stay readable, and the task runs once, saying why", async () => {
    const store = new MemoryStore();
    const make = () => quietPipeline("P", { store }).pipeline.add(task("T", { run: () => 41 + 1 }));
    await make().execute();
    const stored = (await store.get("T"))!;
    const { codeParts: _, ...old } = stored.meta.components;
    await store.put("T", stored.body, { ...stored.meta, fingerprint: "old", components: { ...old, code: "module:0123" } });
    const pipeline = make();
    expect(await pipeline.getResult("T")).toBe(42);
    expect(await pipeline.explain("T")).toBe("T: will run (code changed (stored by an earlier fingerprint scheme: runs once))");
    expect((await pipeline.execute()).tasks[0]!.state).toBe("executed");
    expect((await make().execute()).tasks[0]!.state).toBe("cached");
  });
});
