import { spawnSync } from "node:child_process";

/**
 * Runs `script` (sh) in a mount namespace of its own, as root there (`unshare -rm`), so a
 * test can mount a small or read-only tmpfs that vanishes with the process. `$1` is `dir`;
 * `$2`... are `args`. Undefined when this machine allows no such namespace.
 */
export function inPrivateMount(script: string, dir: string, args: string[], env: NodeJS.ProcessEnv) {
  const run = spawnSync("unshare", ["--map-root-user", "--mount", "sh", "-ec", script, "sh", dir, ...args], { env, encoding: "utf8", timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, error: run.error };
}

/** Why a tmpfs cannot be mounted in a private namespace here, or undefined when it can. */
export function cannotMount(dir: string): string | undefined {
  const run = inPrivateMount('mount -t tmpfs -o size=64k tmpfs "$1"', dir, [], process.env);
  if (run.error) return `unshare is not available (${run.error.message})`;
  return run.code === 0 ? undefined : `mounting a tmpfs in a private namespace is not allowed here (${run.stderr.trim()})`;
}
