import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { PKG, fixture, lpIn, requireBuild, tempStore } from "./support/processes.js";

beforeAll(requireBuild);

it("a file map whose glob matches nothing warns in the run and in lp status, naming task, pattern and folder", async ({
  onTestFinished,
}) => {
  const store = tempStore();
  onTestFinished(store.remove);
  const dir = join(store.dir, "lp-empty-glob");
  mkdirSync(dir);
  const env = { LP_TEST_DATA_DIR: dir };
  const note = `inputFiles("data/*.csv") matched no file in ${dir}`;
  const file = fixture("empty-glob.mjs");

  const before = await lpIn(PKG, ["status", file], store, env);
  expect(before.code).toBe(0);
  expect(before.stdout).toMatch(new RegExp(`Lengths: ${note.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));

  // An empty folder may be meant: the run warns but succeeds.
  const run = await lpIn(PKG, ["run", file], store, env);
  expect(run.code).toBe(0);
  const output = `${run.stdout}${run.stderr}`;
  expect(output).toContain(note);
  expect(output).toMatch(/Lengths.*inputFiles\("data\/\*\.csv"\) matched no file/);

  const after = await lpIn(PKG, ["status", file], store, env);
  expect(after.stdout).toContain(`Lengths: ${note}`);

  // Once the glob matches, the note is gone.
  mkdirSync(join(dir, "data"));
  writeFileSync(join(dir, "data", "a.csv"), "1\n");
  const found = await lpIn(PKG, ["status", file], store, env);
  expect(found.code).toBe(0);
  expect(found.stdout).toMatch(/Lengths/);
  expect(found.stdout).not.toContain("matched no file");
  const ran = await lpIn(PKG, ["run", file], store, env);
  expect(ran.code).toBe(0);
  expect(`${ran.stdout}${ran.stderr}`).not.toContain("matched no file");
}, 60_000);
