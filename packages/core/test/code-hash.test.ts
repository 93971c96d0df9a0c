import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hashModuleGraph, localImports } from "../src/fingerprint/code-hash.js";
import { tempDir } from "./helpers.js";

describe("code fingerprint", () => {
  it("covers the module and the project-local modules it imports, transitively", () => {
    const dir = tempDir();
    const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
    write("pipeline.ts", 'import { clean } from "./helpers.js";\nimport pc from "picocolors";\nexport const x = clean;\n');
    write("helpers.ts", 'export { deep } from "./deep";\nexport const clean = (s: string) => s.trim();\n');
    write("deep.ts", "export const deep = 1;\n");
    const entry = join(dir, "pipeline.ts");
    expect(localImports(entry, 'import a from "./helpers.js"; const b = require("../x"); import("pkg");').map((f) => f.replace(dir, ""))).toEqual(["/helpers.ts"]);
    const first = hashModuleGraph(entry);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    // The hash is cached for the process (the code that runs is the code that was loaded);
    // a fresh copy of the files in another folder shows that an edit to a helper changes it.
    const other = tempDir();
    writeFileSync(join(other, "pipeline.ts"), 'import { clean } from "./helpers.js";\nimport pc from "picocolors";\nexport const x = clean;\n');
    writeFileSync(join(other, "helpers.ts"), 'export { deep } from "./deep";\nexport const clean = (s: string) => s.trim();\n');
    writeFileSync(join(other, "deep.ts"), "export const deep = 2;\n");
    expect(hashModuleGraph(join(other, "pipeline.ts"))).not.toBe(first);
    const same = tempDir();
    for (const f of ["pipeline.ts", "helpers.ts", "deep.ts"]) writeFileSync(join(same, f), require("node:fs").readFileSync(join(dir, f)));
    expect(hashModuleGraph(join(same, "pipeline.ts"))).toBe(first);
  });

  it("is undefined for a module it cannot read", () => {
    expect(hashModuleGraph("/no/such/file.ts")).toBeUndefined();
  });
});
