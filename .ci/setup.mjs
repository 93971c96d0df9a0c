// Installs the workspace and builds it, quietly: `npm run example` on a fresh clone should
// show the example, not the build tools. A failing step prints everything it said.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const PNPM = ["--yes", "pnpm@10.34.9"];
const windows = process.platform === "win32";

function quietly(args) {
  const run = spawnSync(windows ? "npx.cmd" : "npx", [...PNPM, ...args], { cwd: root, encoding: "utf8", shell: windows, env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" } });
  if (run.status === 0) return;
  process.stderr.write(`${run.stdout ?? ""}${run.stderr ?? ""}`);
  if (run.error) process.stderr.write(`${run.error.message}\n`);
  process.stderr.write(`Set-up failed: pnpm ${args.join(" ")} exited with ${run.status ?? run.signal}.\n`);
  process.exit(run.status || 1);
}

const packages = join(root, "packages");
const unbuilt = readdirSync(packages).some((name) => existsSync(join(packages, name, "package.json")) && !existsSync(join(packages, name, "dist")));
if (unbuilt) process.stdout.write("Installing and building the workspace (first run only, about a minute)...\n");
quietly(["install", "--frozen-lockfile", "--reporter=silent"]);
quietly(["exec", "turbo", "run", "build", "--output-logs=errors-only"]);
