import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as cache from "@lp/cache";
import * as core from "@lp/core";
import * as expiry from "@lp/expiry";
import * as logging from "@lp/logging";
import * as shell from "@lp/shell";
import * as viz from "@lp/viz";
import { describe, expect, it } from "vitest";
import * as umbrella from "../src/index.js";

const PACKAGES = { core, cache, expiry, logging, shell, viz };
const packagesDir = fileURLToPath(new URL("../../", import.meta.url));

function errorClasses(mod: Record<string, unknown>): [string, unknown][] {
  return Object.entries(mod).filter(
    ([, value]) => typeof value === "function" && (value === core.LpError || value.prototype instanceof core.LpError),
  );
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("errors across packages", () => {
  it("re-exports every package's error classes, the very same classes", () => {
    for (const [pkg, mod] of Object.entries(PACKAGES)) {
      const classes = errorClasses(mod);
      expect(classes.length, pkg).toBeGreaterThan(0);
      for (const [name, cls] of classes) expect((umbrella as Record<string, unknown>)[name], `${pkg}.${name}`).toBe(cls);
    }
  });

  it("gives each code to one class: no two classes in any package raise the same code", () => {
    const owners = new Map<string, string[]>();
    for (const pkg of Object.keys(PACKAGES)) {
      for (const file of sources(join(packagesDir, pkg, "src"))) {
        const text = readFileSync(file, "utf8");
        for (const m of text.matchAll(/class (\w+) extends \w+ \{(?:(?!\nexport class |\nclass )[\s\S])*?super\("(LP_[A-Z_]+)"/g)) {
          owners.set(m[2]!, [...(owners.get(m[2]!) ?? []), `${pkg}/${m[1]}`]);
        }
        expect(text, `${file} builds an LpError with a bare code`).not.toMatch(/new LpError\("/);
      }
    }
    expect(owners.size).toBeGreaterThan(20);
    for (const [code, classes] of owners) expect(classes, code).toHaveLength(1);
  });

  it("makes ExpiryWarning an LpError like every other", () => {
    const warning = new umbrella.ExpiryWarning("atDatetime", "the date is in the past");
    expect(warning).toBeInstanceOf(umbrella.LpError);
    expect(warning).toMatchObject({ code: "LP_EXPIRY_IN_PAST", name: "ExpiryWarning", message: "atDatetime(): the date is in the past" });
  });
});
