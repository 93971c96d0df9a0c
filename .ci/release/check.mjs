// The release check: what npm users would get. Packs every package, lints the packages
// (publint --strict, attw), installs the tarballs into a scratch npm project and uses them,
// records packed and installed sizes, and builds the API reference. Writes its counts to
// .ci/reports/release.json for the closing summary; exits 1 when a check failed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildDocs } from "./docs.mjs";
import { lintAll } from "./lint.mjs";
import { packAll, publishable } from "./pack.mjs";
import { install, scratchChecks, tsxCheck } from "./scratch.mjs";
import { sizeTable } from "./sizes.mjs";

const root = new URL("../..", import.meta.url).pathname;
const results = [];
const record = (name, ok, detail = "") => {
  results.push({ name, ok });
  console.log(`${ok ? "ok  " : "FAIL"} ${name}`);
  if (!ok && detail) console.log(detail.replace(/^/gm, "     "));
};
const outcome = (run) =>
  Promise.resolve()
    .then(run)
    .then(
      () => ({ ok: true, detail: "" }),
      (error) => ({ ok: false, detail: error instanceof Error ? error.message : String(error) }),
    );

const work = mkdtempSync(join(tmpdir(), "lp-release-packs-"));
let scratch;
try {
  console.log("Release check: the packages as npm users get them");
  const packed = await packAll(publishable(root), work);
  record(`pack ${packed.length} packages`, packed.length > 0);

  // Lints and the docs build run while npm installs.
  const [lints, docs, installed] = await Promise.allSettled([lintAll(root, packed), buildDocs(root), install(root, packed)]);
  for (const lint of lints.status === "fulfilled" ? lints.value : []) record(lint.name, lint.ok, lint.detail);
  if (lints.status === "rejected") record("publint and attw", false, String(lints.reason));
  record(
    "API reference builds (typedoc)",
    docs.status === "fulfilled",
    docs.status === "rejected" ? String(docs.reason?.message ?? docs.reason) : "",
  );
  record(
    "npm install of every tarball into a scratch project",
    installed.status === "fulfilled",
    installed.status === "rejected" ? String(installed.reason?.message) : "",
  );

  if (installed.status === "fulfilled") {
    scratch = installed.value;
    for (const phase of scratchChecks(root, scratch, packed)) {
      const outcomes = await Promise.all(phase.map((check) => outcome(check.run)));
      phase.forEach((check, i) => record(check.name, outcomes[i].ok, outcomes[i].detail));
    }
    console.log(`\nPackage sizes (installed with npm, dependencies each counted once):\n${sizeTable(scratch, packed)}\n`);
    const last = tsxCheck(root, scratch);
    const { ok, detail } = await outcome(last.run);
    record(last.name, ok, detail);
  }
} catch (error) {
  record("release check", false, error instanceof Error ? (error.stack ?? error.message) : String(error));
} finally {
  rmSync(work, { recursive: true, force: true });
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: run by npm scripts, not by turbo
  if (scratch && !process.env.LP_KEEP_SCRATCH) rmSync(scratch, { recursive: true, force: true });
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
mkdirSync(join(root, ".ci", "reports"), { recursive: true });
writeFileSync(
  join(root, ".ci", "reports", "release.json"),
  JSON.stringify({ numPassedTests: passed, numFailedTests: failed, checks: results }, null, 2),
);
console.log(`Release check: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
