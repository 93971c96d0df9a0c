import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storeConformance } from "@lp/core/conformance";
import { expect, it } from "vitest";
import { JsonDirStore } from "../json-dir-store.js";

const fresh = () => mkdtempSync(join(tmpdir(), "lp-json-store-"));

storeConformance(it, {
  create: () => new JsonDirStore(fresh()),
  reopen: (store) => new JsonDirStore((store as JsonDirStore).dir),
});

it("a second process reuses the results the first one stored", () => {
  const home = fresh();
  const run = () =>
    execFileSync(process.execPath, ["--import", "tsx", "main.ts"], {
      cwd: join(import.meta.dirname, ".."),
      env: { ...process.env, LP_HOME: home, NO_COLOR: "1" },
      encoding: "utf8",
    });
  expect(run()).toContain("Total: 10");
  const second = run();
  expect(second).toContain("Total: 10");
  expect(second).toMatch(/Numbers\s+: SKIP : Using cached results/);
  expect(second).toMatch(/Total\s+: SKIP : Using cached results/);
  expect(readdirSync(join(home, "custom-cache"))).toHaveLength(2);
}, 30_000);
