import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const FIXTURES = join(import.meta.dirname, "fixtures");
const children = new Set<ChildProcess>();
const folders: string[] = [];

/** A copy of the fixture pipeline in a folder of its own (inside the package, so `@lp/core` resolves), and a folder for marks. */
export function project(edit?: (source: string) => string): { module: string; marks: string } {
  const root = join(import.meta.dirname, ".work");
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, "p-"));
  folders.push(dir);
  const module = join(dir, "pipeline.ts");
  const source = readFileSync(join(FIXTURES, "pipeline.ts"), "utf8");
  writeFileSync(module, edit ? edit(source) : source);
  mkdirSync(join(dir, "marks"));
  return { module, marks: join(dir, "marks") };
}

export interface Proc {
  child: ChildProcess;
  out(): string;
  exited: Promise<number | null>;
}

function start(script: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ["--import", "tsx", join(FIXTURES, script)], {
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, out: () => out, exited };
}

/** Waits until `check` holds, polling; fails with what the process printed after `ms`. */
export async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts a worker process and waits until it takes jobs. */
export async function startWorkerProcess(env: Record<string, string>): Promise<Proc> {
  const worker = start("worker.ts", env);
  await Promise.race([
    until(() => worker.out().includes("ready "), "a worker to start"),
    worker.exited.then((code) => {
      throw new Error(`worker exited (${code}): ${worker.out()}`);
    }),
  ]);
  return worker;
}

/** Starts a coordinator process. */
export function startCoordinator(env: Record<string, string>): Proc & { result: Promise<any> } {
  const coordinator = start("coordinator.ts", env);
  const result = coordinator.exited.then(() => {
    const last = coordinator.out().trim().split("\n").at(-1) ?? "";
    try {
      return JSON.parse(last);
    } catch {
      throw new Error(`the coordinator printed no summary: ${coordinator.out()}`);
    }
  });
  result.catch(() => {});
  return { ...coordinator, result };
}

/** Kills every process these helpers started and removes their folders. */
export async function cleanUp(): Promise<void> {
  const all = [...children];
  for (const child of all) child.kill("SIGKILL");
  await Promise.all(all.map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once("exit", resolve)))));
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The pid a task's mark holds, or undefined before the task wrote it (or while it is writing it: empty). */
export function markOf(marks: string, name: string): number | undefined {
  try {
    const text = readFileSync(join(marks, name), "utf8");
    return text === "" ? undefined : Number(text);
  } catch {
    return undefined;
  }
}

