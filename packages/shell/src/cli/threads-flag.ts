import { UsageError } from "../errors.js";

/**
 * Takes `--threads`, `--threads N` or `--threads=N` out of `lp run`'s or `lp worker`'s arguments (its
 * number is optional, which `parseArgs` cannot express). `threads` is `undefined` when
 * the flag is absent and `true` when it has no number (one thread per core).
 * @throws UsageError for a number that is not a whole number from 1 up
 */
export function takeThreadsFlag(args: readonly string[], command = "lp run"): { rest: string[]; threads: number | true | undefined } {
  const rest: string[] = [];
  let threads: number | true | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      rest.push(...args.slice(i));
      break;
    }
    let value: string | undefined;
    if (arg.startsWith("--threads=")) value = arg.slice("--threads=".length);
    else if (arg === "--threads") {
      const next = args[i + 1];
      if (next !== undefined && /^\d+$/.test(next)) value = args[++i];
    } else {
      rest.push(arg);
      continue;
    }
    if (value === undefined) threads = true;
    else {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(command, `--threads must be a whole number from 1 up, got "${value}".`);
      threads = n;
    }
  }
  return { rest, threads };
}
