import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// Start-up is paid on every run: what a run of cached or no-op tasks never uses is loaded on
// first use, not when the package is imported. Measured in a real child process.
const RECORDER = fileURLToPath(new URL("../../../test-support/record-loads.mjs", import.meta.url));
const home = mkdtempSync(join(tmpdir(), "lp-lazy-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Runs an ES module body with the umbrella importable; returns what it loaded. */
function loads(body: string): { loaded: string[]; segmenters: number; stdout: string } {
  const r = spawnSync(process.execPath, ["--import", RECORDER, "--input-type=module", "-e", body], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: { ...process.env, LP_HOME: home },
    encoding: "utf8",
  });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const last = r.stdout.trim().split("\n").at(-1)!;
  return { ...JSON.parse(last), stdout: r.stdout };
}

const HEAVY = ["commander", "piscina", "tinyglobby", "cacache", "oxc-parser", "tsx", "msgpackr", "msgpackr-extract"];
// Node's modules that only the shell's line editor or a worker thread needs.
const HEAVY_BUILTINS = ["node:readline", "node:worker_threads"];
const named = (loaded: string[], pkg: string) => loaded.filter((url) => url.includes(`/node_modules/${pkg}/`));
/** The files of a workspace package's build that were loaded, e.g. `shell` → its dist files. */
const built = (loaded: string[], dir: string) => loaded.filter((url) => url.includes(`/packages/${dir}/dist/`));

describe("importing little-pipelines", () => {
  it("loads no command line, worker pool, glob matcher or store engine, and makes no Intl.Segmenter", () => {
    const { loaded, segmenters } = loads(`await import("little-pipelines");`);
    expect(loaded.some((url) => url.includes("/little-pipelines/dist/index.js"))).toBe(true);
    for (const pkg of HEAVY) expect(named(loaded, pkg), pkg).toEqual([]);
    for (const builtin of HEAVY_BUILTINS) expect(loaded, builtin).not.toContain(builtin);
    expect(segmenters).toBe(0);
  });

  it("loads @lp/core as one file, and no CommonJS file or test-only module", () => {
    const { loaded } = loads(`await import("little-pipelines");`);
    // Node's ES module loader has a fixed cost per file and per specifier it resolves: the
    // packages take core's public names from the one file that holds them.
    expect([...new Set(built(loaded, "core").map((url) => url.slice(url.lastIndexOf("/") + 1)))].sort()).toEqual(["internal.js"]);
    expect(named(loaded, "picocolors")).toEqual([]);
    expect(loaded.filter((url) => url.endsWith(".cjs"))).toEqual([]);
    expect(loaded).not.toContain("node:assert/strict");
  });

  it("an empty start loads one file per package (two of the shell) and none of Node's crypto, zlib, v8, module or os modules", () => {
    const { loaded } = loads(`
      const { Pipeline } = await import("little-pipelines");
      await new Pipeline("empty").close();`);
    const files = (dir: string) => new Set(built(loaded, dir)).size;
    // Node's ES module loader pays for every file and every specifier it resolves.
    for (const dir of ["little-pipelines", "core", "cache", "logging", "expiry", "threads", "viz"]) expect(files(dir), dir).toBe(1);
    // The shell's entry and the one file it shares with its commands and command line.
    expect(files("shell"), "shell").toBe(2);
    for (const dir of ["redis", "bullmq"]) expect(files(dir), dir).toBe(0);
    // Hashing, serializing and the store's journal load these when first called.
    for (const builtin of ["node:crypto", "node:zlib", "node:v8", "node:module", "node:os", ...HEAVY_BUILTINS]) expect(loaded, builtin).not.toContain(builtin);
  });

  it("a run that hashes, serializes and stores loads crypto, v8 and zlib then, and gets its results right", () => {
    const { loaded, stdout } = loads(`
      const { Pipeline, Task } = await import("little-pipelines");
      // A circular value takes the v8 serializer.
      const big = new Task("Big", { run: () => { const v = { when: new Date(0), tags: new Set(["a"]), n: 10n }; v.self = v; return v; } });
      const p = new Pipeline("first-calls").add(big);
      await p.execute();
      const again = new Pipeline("first-calls").add(big);
      const summary = await again.execute();
      const value = await again.getResult("Big");
      console.log(JSON.stringify({ cached: summary.totals.cached, iso: value.when.toISOString(), tag: [...value.tags][0], n: String(value.n), circular: value.self === value }));`);
    expect(JSON.parse(stdout.split("\n").find((line) => line.startsWith('{"cached"'))!)).toEqual({ cached: 1, iso: "1970-01-01T00:00:00.000Z", tag: "a", n: "10", circular: true });
    for (const builtin of ["node:crypto", "node:zlib", "node:v8"]) expect(loaded, builtin).toContain(builtin);
  });

  it("loads the shell's commands and line editor when a shell first needs them, not with the Shell class", () => {
    const setUp = `
      const { PassThrough } = await import("node:stream");
      const { Pipeline, Shell, Task } = await import("little-pipelines");
      const pipeline = new Pipeline("lazy-shell").add(new Task("A", { run: () => 1 }));
      const output = new PassThrough();
      let printed = "";
      output.on("data", (chunk) => (printed += chunk));
      const shell = new Shell(pipeline, { input: new PassThrough(), output, color: false });
      shell.cmdValidate();`;
    const constructed = loads(`${setUp}
      await pipeline.close();
      console.log(printed);`);
    // Constructing a shell and running its synchronous commands need only what the import loaded.
    expect(constructed.stdout).toContain("Pipeline lazy-shell is valid (1 tasks).");
    for (const builtin of HEAVY_BUILTINS) expect(constructed.loaded, builtin).not.toContain(builtin);

    const used = loads(`${setUp}
      await shell.runCommand("list-tasks");
      const input = new PassThrough();
      const started = new Shell(pipeline, { input, output, color: false }).start();
      input.end("exit\\n");
      await started;
      await pipeline.close();
      console.log(printed);`);
    expect(used.stdout).toContain("Tasks of lazy-shell (1):");
    expect(used.stdout).toContain("Bye.");
    expect(built(used.loaded, "shell").length).toBeGreaterThan(built(constructed.loaded, "shell").length);
    expect(used.loaded).toContain("node:readline");
    expect(named(used.loaded, "commander")).toEqual([]);
  });

  it("a run of no-op tasks with the defaults loads no command line, worker pool, glob matcher or MessagePack packer", () => {
    const { loaded, stdout } = loads(`
      const { Pipeline, Task } = await import("little-pipelines");
      const a = new Task("A", { run: () => 1 });
      const b = new Task("B", { dependencies: ["A"], async run() { return (await this.result("A")) + 1; } });
      const summary = await new Pipeline("lazy").add(a, b).execute();
      console.log(JSON.stringify(summary.totals));`);
    expect(stdout).toContain('"executed":2');
    for (const pkg of ["commander", "piscina", "tinyglobby", "msgpackr"]) expect(named(loaded, pkg), pkg).toEqual([]);
  });

  it("loads msgpackr, with its native string reader, once a result is more than one primitive", () => {
    const { loaded, stdout } = loads(`
      const { Pipeline, Task } = await import("little-pipelines");
      const rows = new Task("Rows", { run: () => [{ i: 1, s: "a" }, { i: 2, s: "b" }] });
      const p = new Pipeline("lazy-rows");
      await p.add(rows).execute();
      console.log(JSON.stringify(await p.getResult("Rows")));`);
    expect(stdout).toContain('[{"i":1,"s":"a"},{"i":2,"s":"b"}]');
    expect(named(loaded, "msgpackr").length).toBeGreaterThan(0);
    expect(named(loaded, "msgpackr-extract").length).toBeGreaterThan(0);
  });

  it("loads the command line and the glob matcher when they are used", () => {
    const { loaded } = loads(`
      const { writeFileSync } = await import("node:fs");
      const { runCli } = await import("@lp/shell");
      const { Pipeline, Task } = await import("little-pipelines");
      const out = { write: () => true };
      await runCli(["--version"], { stdout: out, stderr: out });
      writeFileSync(process.env.LP_HOME + "/in.txt", "x");
      const read = new Task("Read", { inputFiles: ["*.txt"], run: () => 1 });
      const summary = await new Pipeline("globs", { cwd: process.env.LP_HOME }).add(read).execute();
      if (!summary.ok) throw new Error("run failed");`);
    expect(named(loaded, "commander").length).toBeGreaterThan(0);
    expect(named(loaded, "tinyglobby").length).toBeGreaterThan(0);
  });
});
