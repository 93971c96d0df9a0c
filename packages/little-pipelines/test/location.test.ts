import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CacacheStore, Pipeline, createLogger } from "../src/index.js";

const umbrella = pathToFileURL(join(import.meta.dirname, "..", "dist", "index.js")).href;
const previous = process.env.LP_HOME;
beforeEach(() => {
  delete process.env.LP_HOME;
});
afterEach(() => {
  if (previous === undefined) delete process.env.LP_HOME;
  else process.env.LP_HOME = previous;
});

/** A scratch project: a package.json and a pipeline module that imports the built umbrella. */
function project(pipelineName: string, value: string): string {
  const root = mkdtempSync(join(tmpdir(), "lp-project-"));
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "scratch", type: "module" }));
  mkdirSync(join(root, "src"));
  writeFileSync(
    join(root, "src", "pipeline.mjs"),
    `import { Pipeline, task, createLogger } from ${JSON.stringify(umbrella)};
export default new Pipeline(${JSON.stringify(pipelineName)}, { logger: createLogger({ level: "silent" }) })
  .add(task("T", { run: () => ${JSON.stringify(value)} }));\n`,
  );
  return root;
}

const load = async (root: string) => (await import(pathToFileURL(join(root, "src", "pipeline.mjs")).href)).default as Pipeline;

describe("where results and logs live", () => {
  it("keeps results in the defining project's .little_pipelines folder, whatever the working directory", async () => {
    const root = project("Report", "A");
    const pipeline = await load(root);
    expect(pipeline.definedIn).toBe(join(root, "src", "pipeline.mjs"));
    expect(pipeline.location).toEqual({ projectRoot: root, home: join(root, ".little_pipelines") });
    expect((pipeline.store as CacacheStore).dir).toBe(join(root, ".little_pipelines", "Report"));
  });

  it("two projects with the same pipeline name never share results", async () => {
    const a = await load(project("Report", "from A"));
    const b = await load(project("Report", "from B"));
    expect((await a.execute()).totals.executed).toBe(1);
    expect((await b.execute()).totals.executed).toBe(1);
    // Each run of one leaves the other cached, and each reads back its own value.
    expect((await a.execute()).totals.cached).toBe(1);
    expect(await a.getResult("T")).toBe("from A");
    expect(await b.getResult("T")).toBe("from B");
    await a.close();
    await b.close();
  });

  it("LP_HOME still puts every project's pipelines under one folder", async () => {
    const home = mkdtempSync(join(tmpdir(), "lp-home-"));
    process.env.LP_HOME = home;
    const pipeline = await load(project("Shared", "x"));
    expect((pipeline.store as CacacheStore).dir).toBe(join(home, "Shared"));
    expect((pipeline.logger as ReturnType<typeof createLogger>).logDir("Shared")).toBe(join(home, "Shared", "logs"));
  });

  it.each(["Données", "報告", " lead", "con", "a/b", `long ${"名".repeat(150)}`])(
    "puts the log folder of %j inside its cache folder",
    async (name) => {
      const root = project(name, "v");
      const pipeline = await load(root);
      const store = pipeline.store as CacacheStore;
      const logs = (pipeline.logger as ReturnType<typeof createLogger>).logDir(name)!;
      expect(dirname(logs)).toBe(store.dir);
      expect(dirname(store.dir)).toBe(join(root, ".little_pipelines"));
      // Real files: one folder per pipeline, holding both the journal and the pipeline's log.
      await pipeline.execute();
      await pipeline.close();
      expect(readdirSync(join(root, ".little_pipelines"))).toHaveLength(1);
      expect(existsSync(join(store.dir, "journal"))).toBe(true);
      expect(readdirSync(logs)).toContain("~pipeline.log");
    },
  );
});
