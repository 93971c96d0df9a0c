// Packed and installed size of each package, measured in a real npm install.
import { existsSync, lstatSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Bytes of the files of one installed package, without its nested node_modules. */
function ownBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += ownBytes(path);
    else if (entry.isFile()) total += lstatSync(path).size;
  }
  return total;
}

/** Where Node would find `name` from a package at `from` (walking up node_modules). */
function locate(name, from, root) {
  for (let dir = from; dir.startsWith(root); dir = join(dir, "..")) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === root) break;
  }
  return undefined;
}

/**
 * The bytes a project gets on disk by installing `name`: its own files plus every package
 * it needs at run time (dependencies and required peers, each counted once).
 */
export function installedBytes(root, name) {
  const seen = new Set();
  const queue = [locate(name, root, root)];
  let total = 0;
  while (queue.length > 0) {
    const dir = queue.pop();
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    total += ownBytes(dir);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const optionalPeers = new Set(
      Object.entries(manifest.peerDependenciesMeta ?? {})
        .filter(([, m]) => m.optional)
        .map(([n]) => n),
    );
    const needs = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter((n) => !optionalPeers.has(n)),
      ...Object.keys(manifest.optionalDependencies ?? {}),
    ];
    for (const dep of needs) queue.push(locate(dep, dir, root));
  }
  return { own: ownBytes(locate(name, root, root)), total };
}

export const kB = (bytes) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${(bytes / 1024 / 1024).toFixed(2)} MB`);

/** The table printed in CI: packed, unpacked and installed (with dependencies) per package. */
export function sizeTable(root, packed) {
  const rows = packed.map((p) => {
    const { own, total } = installedBytes(root, p.name);
    return [p.name, kB(p.packedBytes), kB(own), kB(total)];
  });
  const head = ["package", "packed", "unpacked", "installed with dependencies"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(head), ...rows.map(line)].join("\n");
}
