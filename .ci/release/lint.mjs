// publint --strict and Are the Types Wrong? on each package, as published.
import { join } from "node:path";
import { exec } from "./exec.mjs";

/**
 * One check per tool and package. publint packs the folder itself; attw reads the tarball
 * that the install check uses, so both look at exactly what npm would get.
 * @returns {Promise<{ name: string, ok: boolean, detail: string }[]>}
 */
export async function lintAll(root, packed) {
  const bin = (name) => join(root, "node_modules", ".bin", name);
  const checks = [];
  for (const pkg of packed) {
    checks.push(
      exec(bin("publint"), ["--strict", pkg.dir], { cwd: root }).then((r) => ({
        name: `publint --strict ${pkg.name}`,
        ok: r.code === 0,
        detail: (r.stdout + r.stderr).trim(),
      })),
      exec(bin("attw"), [pkg.tarball, "--format", "ascii"], { cwd: root }).then((r) => ({
        name: `attw ${pkg.name}`,
        ok: r.code === 0,
        detail: (r.stdout + r.stderr).trim(),
      })),
    );
  }
  return Promise.all(checks);
}
