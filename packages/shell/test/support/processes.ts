import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ResultMeta } from "@lp/core";

/** The package folder: child processes run here so fixtures resolve `@lp/core` and `tsx`. */
export const PKG = fileURLToPath(new URL("../..", import.meta.url));
/** The built `lp` bin, run as users run it. */
export const CLI = join(PKG, "dist", "cli.js");
export const fixture = (name: string) => join("test", "fixtures", name);

/** Fails early, and clearly, when the bin has not been built. */
export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "pnpm build" in packages/shell before the tests.`);
}

/** A JSON result store file in a fresh temp folder, for one test. */
export interface TempStore {
  file: string;
  dir: string;
  /** Entries as stored, by key. */
  read(): Record<string, { body: string; meta: ResultMeta }>;
  keys(): string[];
  /** Rewrites one entry's metadata on disk. */
  patch(key: string, meta: Partial<ResultMeta>): void;
  remove(): void;
}

export function tempStore(): TempStore {
  const dir = mkdtempSync(join(tmpdir(), "lp-shell-test-"));
  const file = join(dir, "store.json");
  const read = () => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {});
  return {
    file,
    dir,
    read,
    keys: () => Object.keys(read()).sort(),
    patch(key, meta) {
      const entries = read();
      entries[key].meta = { ...entries[key].meta, ...meta };
      writeFileSync(file, JSON.stringify(entries));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What a finished child process printed and how it exited. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment for child processes: the test's store, no colour. */
export function childEnv(store: TempStore, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LP_FIXTURE_STORE: store.file, NO_COLOR: "1", ...extra };
  delete env.FORCE_COLOR;
  return env;
}

/** Runs a command to completion, writing `input` (then end of input) to its stdin. */
export function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, input = "", cwd = PKG): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Runs the `lp` bin. */
export function lp(args: readonly string[], store: TempStore, input = ""): Promise<Finished> {
  return run(process.execPath, [CLI, ...args], childEnv(store), input);
}

/** Runs the `lp` bin in another folder, with extra environment variables. */
export function lpIn(cwd: string, args: readonly string[], store: TempStore, env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return run(process.execPath, [CLI, ...args], childEnv(store, env), "", cwd);
}

/** Runs `lp shell <file>` with commands written to its stdin, one per line. */
export function shell(file: string, store: TempStore, commands: readonly string[]): Promise<Finished> {
  return lp(["shell", fixture(file)], store, `${commands.join("\n")}\n`);
}

/** Runs a TypeScript file under node with tsx, as `node --import tsx file`. */
export function tsNode(file: string, args: readonly string[], store: TempStore, input = ""): Promise<Finished> {
  return run(process.execPath, ["--import", "tsx", file, ...args], childEnv(store), input);
}
