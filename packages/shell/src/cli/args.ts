import { parseArgs } from "node:util";
import { UsageError } from "../errors.js";
import { argsErrorText, type Options, type Parsed } from "../shell/args.js";

/**
 * Parses an `lp` command's arguments; `--help` is accepted by every command. Exactly
 * `files` positionals are expected: the pipeline file (and nothing else).
 * @throws UsageError for unknown options, missing values or a wrong number of arguments
 */
export function parseCommand<O extends Options>(command: string, args: readonly string[], options: O): Parsed<O> & { file: string; help: boolean } {
  let parsed: Parsed<O>;
  try {
    const all = { ...options, help: { type: "boolean", short: "h" } } satisfies Options;
    parsed = parseArgs({ args: [...args], options: all, allowPositionals: true, strict: true }) as unknown as Parsed<O>;
  } catch (error) {
    throw new UsageError(`lp ${command}`, `${argsErrorText(error)} Run "lp ${command} --help" for usage.`);
  }
  const help = (parsed.values as { help?: boolean }).help === true;
  if (!help && parsed.positionals.length === 0) {
    throw new UsageError(`lp ${command}`, `missing the pipeline file. Run "lp ${command} --help" for usage.`);
  }
  if (parsed.positionals.length > 1) {
    throw new UsageError(`lp ${command}`, `unexpected argument "${parsed.positionals[1]}". Run "lp ${command} --help" for usage.`);
  }
  return { ...parsed, file: parsed.positionals[0] ?? "", help };
}
