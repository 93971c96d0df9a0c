import type { Pipeline } from "@lp/core";
import { NoPipelineExportError, PipelineLoadError } from "../errors.js";
import { isPipeline } from "./is-pipeline.js";

type Namespace = Record<string, unknown>;

function asNamespace(value: unknown): Namespace | undefined {
  return (typeof value === "object" && value !== null) || typeof value === "function" ? (value as Namespace) : undefined;
}

/**
 * Finds the pipeline a loaded module offers, in this order: `export default pipeline`,
 * `export const pipeline`, then a default function returning one (awaited). The same
 * names are looked for one level down, inside `default`, because a CommonJS module's
 * `module.exports` (or compiled `exports.default`) arrives as the namespace's `default`.
 *
 * @param file - shown in errors
 * @throws NoPipelineExportError when nothing there is a pipeline
 * @throws PipelineLoadError when the default function throws
 */
export async function findPipelineExport(namespace: Namespace, file: string): Promise<Pipeline> {
  const inner = asNamespace(namespace.default);
  const candidates = [namespace.default, namespace.pipeline, inner?.default, inner?.pipeline];
  for (const candidate of candidates) if (isPipeline(candidate)) return candidate;
  const factory = [namespace.default, inner?.default].find((c) => typeof c === "function" && !isClass(c));
  if (typeof factory === "function") {
    let made: unknown;
    try {
      made = await (factory as () => unknown)();
    } catch (error) {
      throw new PipelineLoadError(file, error);
    }
    if (isPipeline(made)) return made;
    throw new NoPipelineExportError(file, [`a default function returning ${describe(made)}`]);
  }
  throw new NoPipelineExportError(file, exportNames(namespace));
}

function isClass(fn: unknown): boolean {
  return typeof fn === "function" && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return `an instance of ${(value as object).constructor?.name ?? "Object"}`;
  return `a ${typeof value}`;
}

function exportNames(namespace: Namespace): string[] {
  const names = Object.keys(namespace).filter((k) => k !== "__esModule" && k !== "module.exports");
  if (names.length === 1 && names[0] === "default") {
    const inner = asNamespace(namespace.default);
    if (inner && typeof inner === "object") {
      const innerNames = Object.keys(inner).filter((k) => k !== "__esModule");
      if (innerNames.length > 0) return innerNames.map((n) => `module.exports.${n}`);
    }
    return [`default (${describe(namespace.default)})`];
  }
  return names;
}
