import { findProjectRoot } from "../location/results-home.js";
import { type CodeCache, codeCacheFor } from "./code-cache.js";
import { type CodeParts, type Label, closureOf, labeller } from "./closure.js";
import { type FunctionInfo, functionInfo } from "./function-source.js";
import { hashText } from "./hash.js";
import { moduleInfo } from "./module-info.js";

type AnyFn = (...args: never[]) => unknown;

/**
 * A task's code fingerprint: one digest, the parts behind it, and what could not be followed.
 * Frozen, and possibly shared between tasks (the tasks one loop builds share one): copy it to
 * change it.
 */
export interface CodeFingerprint {
  readonly digest: string;
  /** The digest of each part of the code, by a label saying what and where it is. */
  readonly parts: Readonly<Record<string, string>>;
  /** Set when part of the code could only be fingerprinted by its own source. */
  readonly note: string | undefined;
}

/** The documented fallback: when a process cannot be followed into its module, its own source is all that counts. */
export const SOURCE_ONLY = "code fingerprint: function source only";

/** `label\0digest` lines in label order. */
function linesOf(parts: Record<string, string>): string {
  const keys = Object.keys(parts);
  if (keys.length > 1) keys.sort();
  let text = "";
  for (const k of keys) text += `${k}\u0000${parts[k]}\n`;
  return text;
}

const digestOf = (parts: Record<string, string>) => hashText(linesOf(parts));

/** What is shared by every task of one defining module: how files are named, the cache, closures already walked. */
interface ModuleContext {
  label: Label;
  where: string;
  cache: CodeCache | undefined;
  closures: Map<string, Closure>;
  /** `function \`name\` in file.ts`, by process name. */
  labels: Map<string, string>;
  /**
   * Fingerprints of tasks with a single process, by its name and analysis: the thousands
   * of tasks one loop builds share one (frozen), instead of keeping a copy each.
   */
  singles: Map<string, Map<FunctionInfo, CodeFingerprint>>;
}

/**
 * A walked closure, with its canonical lines ready for each task that shares it, and its note
 * for tasks whose processes all parse (the usual case: thousands of tasks built in one loop
 * share it, so it is worded once).
 */
type Closure = CodeParts & { missing: string[]; digest: string; note?: string | undefined };

const contexts = new Map<string, ModuleContext>();

function contextOf(definedIn: string | undefined): ModuleContext {
  const key = definedIn ?? "";
  let ctx = contexts.get(key);
  if (!ctx) {
    const root = definedIn ? findProjectRoot(definedIn) : process.cwd();
    const label = labeller(root);
    ctx = { label, where: definedIn ? ` in ${label(definedIn)}` : "", cache: definedIn ? codeCacheFor(root, definedIn) : undefined, closures: new Map(), labels: new Map(), singles: new Map() };
    contexts.set(key, ctx);
  }
  return ctx;
}

/**
 * The code a task can run: each process function (normalized: comments, formatting and
 * types do not count) plus the closure of top-level bindings they mention, in the module
 * that defined the task and through its project-local imports. Packages count by name and
 * version. Names a process mentions that are neither top-level bindings nor globals come
 * from an enclosing function (a task built by a factory): they are not followed, and the
 * note says so. Cheap for many tasks in one module: each module and each distinct function
 * is analysed once, and the analyses are cached on disk for the next process.
 *
 * @param definedIn - the module that created the task; `undefined` in a REPL
 * @param closure - false to count the processes' own source only (`codeHash: "processes"`)
 */
export function codeFingerprint(definedIn: string | undefined, processes: ReadonlyMap<string, AnyFn>, closure = true): CodeFingerprint {
  if (closure && processes.size === 1) {
    const [name, fn] = processes.entries().next().value as [string, AnyFn];
    return singleProcessFingerprint(definedIn, name, fn);
  }
  return fingerprintOf(contextOf(definedIn), definedIn, processes, closure);
}

/**
 * {@link codeFingerprint} of a task with the one process `name` (closure followed): shared,
 * frozen, by every task of the module whose process has the same name and analysis. No map
 * of the processes is made unless it is the first of them: a run asks once for every task.
 */
export function singleProcessFingerprint(definedIn: string | undefined, name: string, fn: AnyFn): CodeFingerprint {
  const ctx = contextOf(definedIn);
  // What follows depends only on the module, the process's name and its analysis.
  const info = functionInfo(fn, ctx.cache);
  let byInfo = ctx.singles.get(name);
  if (!byInfo) ctx.singles.set(name, (byInfo = new Map()));
  let shared = byInfo.get(info);
  if (!shared) byInfo.set(info, (shared = frozen(fingerprintOf(ctx, definedIn, new Map([[name, fn]]), true))));
  return shared;
}

function frozen(code: CodeFingerprint): CodeFingerprint {
  Object.freeze(code.parts);
  return Object.freeze(code);
}

function fingerprintOf(ctx: ModuleContext, definedIn: string | undefined, processes: ReadonlyMap<string, AnyFn>, closure: boolean): CodeFingerprint {
  const parts: Record<string, string> = {};
  let free: readonly string[] = [];
  let merged: Set<string> | undefined;
  const unparsed: string[] = [];
  for (const [name, fn] of processes) {
    const info = functionInfo(fn, ctx.cache);
    let label = ctx.labels.get(name);
    if (label === undefined) {
      label = `function \`${name}\`${ctx.where}`;
      ctx.labels.set(name, label);
    }
    parts[label] = info.hash;
    if (!info.parsed) unparsed.push(name);
    // Most tasks' names come from one process, already sorted: no set needed.
    if (free.length === 0) free = info.free;
    else if (info.free.length > 0) {
      merged ??= new Set(free);
      for (const n of info.free) merged.add(n);
    }
  }
  if (merged) free = [...merged].sort();
  if (!closure) return { digest: digestOf(parts), parts, note: undefined };
  if (!definedIn || !moduleInfo(definedIn, ctx.cache)) {
    const why = definedIn ? `${ctx.label(definedIn)} cannot be read` : "the task was not defined in a module file";
    return { digest: digestOf(parts), parts, note: `${SOURCE_ONLY} (${why})` };
  }
  const key = free.length === 1 ? free[0]! : free.join("\u0000");
  let walked = ctx.closures.get(key);
  if (!walked) {
    const closure = closureOf(definedIn, free, ctx.label, ctx.cache);
    walked = { ...closure, digest: digestOf(closure.parts) };
    ctx.closures.set(key, walked);
  }
  // The processes' digests joined to the shared closure's: canonical without hashing again per
  // task (a single process, the common case, needs no sorting either).
  const digest = `${processes.size === 1 ? `${[...processes.keys()][0]}:${Object.values(parts)[0]}` : digestOf(parts)}/${walked.digest}`;
  Object.assign(parts, walked.parts);
  if (unparsed.length === 0) {
    walked.note ??= noteOf(walked, [], ctx.label(definedIn));
    return { digest, parts, note: walked.note || undefined };
  }
  const note = noteOf(walked, unparsed, ctx.label(definedIn));
  return { digest, parts, note: note || undefined };
}

/** What a task's fingerprint could not follow, worded; "" when nothing. */
function noteOf(walked: Closure, unparsed: readonly string[], file: string): string {
  const notes = [...walked.notes];
  if (unparsed.length > 0) notes.push(`${unparsed.map((n) => `\`${n}\``).join(", ")} cannot be parsed`);
  const { missing } = walked;
  if (missing.length > 0) {
    notes.push(`${missing.map((n) => `\`${n}\``).join(", ")} ${missing.length === 1 ? "is not a top-level binding" : "are not top-level bindings"} of ${file}`);
  }
  return notes.length > 0 ? `${SOURCE_ONLY} for what is not followed: ${notes.join("; ")}` : "";
}
