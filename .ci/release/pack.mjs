// Packs every publishable workspace package into a folder, as `pnpm publish` would pack it
// (workspace: ranges replaced by real versions).
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join } from "node:path";
import { execOk } from "./exec.mjs";

/** The workspace packages that get published: packages/* that are not private. */
export function publishable(root) {
  const dir = join(root, "packages");
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, "package.json")))
    .map((name) => ({ dir: join(dir, name), manifest: JSON.parse(readFileSync(join(dir, name, "package.json"), "utf8")) }))
    .filter((p) => !p.manifest.private)
    .map((p) => ({ name: p.manifest.name, version: p.manifest.version, dir: p.dir }));
}

/** pnpm as it was started (through npx on a fresh machine), else the one on PATH. */
function pnpm() {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: run by npm scripts, not by turbo
  const execpath = process.env.npm_execpath;
  return execpath && /pnpm/.test(execpath) ? [process.execPath, execpath] : ["pnpm"];
}

/** Packs each package into `dest`; returns each with its tarball path and size in bytes. */
export async function packAll(packages, dest) {
  const packed = [];
  for (const pkg of packages) {
    const [command, ...pre] = pnpm();
    const { stdout } = await execOk(command, [...pre, "pack", "--pack-destination", dest, "--json"], { cwd: pkg.dir });
    const { filename } = JSON.parse(stdout);
    const tarball = filename.startsWith("/") ? filename : join(dest, filename);
    packed.push({ ...pkg, tarball, packedBytes: statSync(tarball).size });
  }
  return packed;
}
