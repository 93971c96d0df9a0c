// Sums the vitest JSON reports of every workspace package, and the reports of CI's own
// checks in .ci/reports (same counts: numPassedTests, numFailedTests), into one closing line.
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const reports = [];
for (const group of ["packages", "examples"]) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    if (existsSync(join(dir, name, "package.json"))) reports.push({ group, name, file: join(dir, name, "test-results.json") });
  }
}
const ciReports = join(root, ".ci", "reports");
if (process.argv.includes("--clean")) {
  // Reports of an earlier run must not count as this run's.
  for (const r of reports) rmSync(r.file, { force: true });
  rmSync(ciReports, { recursive: true, force: true });
  process.exit(0);
}
const turboStatus = Number(process.argv.find((a) => a.startsWith("--turbo-status="))?.split("=")[1] ?? 0);
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const { group, name, file } of reports) {
  const pkg = JSON.parse(readFileSync(join(root, group, name, "package.json"), "utf8"));
  if (!pkg.scripts?.test) continue;
  if (!existsSync(file)) {
    missing.push(`${group}/${name}`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that failed to load ran nothing: count it as one failure.
  failed += (report.testResults ?? []).filter((r) => r.status === "failed" && (r.assertionResults ?? []).length === 0).length;
}
if (process.argv.includes("--release-check") && !existsSync(join(ciReports, "release.json"))) missing.push("the release check (.ci/release/check.mjs)");
for (const name of existsSync(ciReports) ? readdirSync(ciReports).filter((f) => f.endsWith(".json")) : []) {
  const report = JSON.parse(readFileSync(join(ciReports, name), "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
}
for (const m of missing) console.log(`no test report from ${m} (its build or tests did not run)`);
failed += missing.length;
if (turboStatus !== 0 && failed === 0) {
  console.log("a build, typecheck or test step failed (see the output above)");
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
