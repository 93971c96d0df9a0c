import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { moduleDocComment } from "../src/format/module-doc.js";
import { table } from "../src/format/table.js";
import { requireBuild, shell, tempStore } from "./support/processes.js";

beforeAll(requireBuild);

describe("the seed's shell habits", () => {
  it("executeone runs a task like execute-one; info shows the module's doc comment when the task has no description", async ({ onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await shell("documented.mjs", store, ["executeone Rows", "info Rows", "exit"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Pipeline complete!\s+: DONE : Ran 1\/1 tasks in/);
    expect(store.keys()).toEqual(["Rows"]);
    expect(result.stdout).toMatch(/description\s+Counts the rows of the daily export\. \(module comment\)/);
  });
});

describe("moduleDocComment", () => {
  it("reads a leading block or line comment's first paragraph, after a #! line", () => {
    const dir = mkdtempSync(join(tmpdir(), "lp-doc-"));
    try {
      const write = (name: string, text: string) => {
        writeFileSync(join(dir, name), text);
        return join(dir, name);
      };
      expect(moduleDocComment(write("a.ts", "#!/usr/bin/env node\n// Loads sales.\n// Daily.\n\nimport x from 'y';"))).toBe("Loads sales. Daily.");
      expect(moduleDocComment(write("b.ts", "/**\n * Sums it all.\n *\n * More.\n */\nexport {};"))).toBe("Sums it all.");
      expect(moduleDocComment(write("c.ts", "import x from 'y';\n// not a header"))).toBeUndefined();
      expect(moduleDocComment(join(dir, "missing.ts"))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("table", () => {
  it("lines up wide characters by display width", () => {
    const lines = table([
      ["データ", "x"],
      ["ab", "y"],
      ["🚀", "z"],
    ]).split("\n");
    expect(lines).toEqual(["  データ  x", "  ab      y", "  🚀      z"]);
  });
});
