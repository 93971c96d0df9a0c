import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../errors.js";

/** Option declarations as `parseArgs` takes them. */
export type Options = NonNullable<ParseArgsConfig["options"]>;

type OptionValue<C> = C extends { type: "boolean" }
  ? C extends { multiple: true }
    ? boolean[]
    : boolean
  : C extends { multiple: true }
    ? string[]
    : string;

/** What parsing gives: each declared option's value (absent when not given) and the other words. */
export interface Parsed<O extends Options> {
  values: { [K in keyof O]?: OptionValue<O[K]> };
  positionals: string[];
}

/**
 * Parses a command's words with node's `parseArgs`, turning its errors into a
 * {@link UsageError} that names the command and shows its usage.
 */
export function parseCommandArgs<O extends Options>(command: string, usage: string, args: readonly string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true }) as unknown as Parsed<O>;
  } catch (error) {
    throw new UsageError(command, argsErrorText(error), usage);
  }
}

/** A parseArgs error as one short sentence. */
export function argsErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}.`;
  const missing = /Option '([^']+)' argument missing/.exec(message);
  if (missing) return `option ${missing[1]!.replace(/^-\w, /, "").replace(/ <value>$/, "")} needs a value.`;
  const noValue = /Option '([^']+)' does not take an argument/.exec(message);
  if (noValue) return `option ${noValue[1]} takes no value.`;
  return `${message.split(/\.\s/)[0]!.replace(/\.$/, "")}.`;
}

/** Values of a repeatable, comma-separated option: `--skip A,B --skip C` → `[A, B, C]`. */
export function commaList(values: readonly string[] | string | undefined): string[] {
  if (values === undefined) return [];
  return (Array.isArray(values) ? values : [values]).flatMap((v: string) => v.split(",")).map((s: string) => s.trim()).filter(Boolean);
}
