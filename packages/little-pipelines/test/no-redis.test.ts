import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect, it } from "vitest";

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** The folder of package `name` as Node would find it from `from`, symbolic links resolved. */
function findPackage(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "node_modules", name, "package.json");
    if (existsSync(manifest)) return realpathSync(dirname(manifest));
    if (dirname(dir) === dir) return undefined;
  }
}

/** Every package an install of the one in `root` brings: its dependencies and required peers, transitively. */
function installedWith(root: string): Set<string> {
  const seen = new Set<string>();
  const visit = (dir: string) => {
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
    const peers = Object.keys(manifest.peerDependencies ?? {}).filter((p) => !manifest.peerDependenciesMeta?.[p]?.optional);
    for (const name of [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {}), ...peers]) {
      if (seen.has(name)) continue;
      seen.add(name);
      const found = findPackage(dir, name);
      if (found) visit(found);
    }
  };
  visit(root);
  return seen;
}

it("installing little-pipelines brings no Redis or BullMQ client: distributed runs are an opt-in install", () => {
  const all = installedWith(join(import.meta.dirname, ".."));
  // The walk reaches deep: the CLI's own dependency and the cache's.
  expect(all).toContain("commander");
  expect(all).toContain("cacache");
  for (const name of ["@lp/bullmq", "@lp/redis", "bullmq", "ioredis"]) expect(all).not.toContain(name);
});
