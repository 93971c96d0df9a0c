import { contain, describeEscaped } from "./contain.js";
import { EXIT } from "./io.js";
import { runCli } from "./main.js";

/**
 * The `lp` executable: runs the command line with a task's stray errors contained, then
 * ends the process once its output is written. Work a task left behind (the timer of an
 * attempt that timed out or was stopped by Ctrl-C) must not keep `lp` alive after its
 * summary; an escaped error makes the exit code 1.
 */
export async function lpMain(argv: readonly string[]): Promise<void> {
  const guard = contain();
  let code: number;
  try {
    code = await runCli(argv);
  } finally {
    guard.release();
  }
  for (const escaped of guard.escaped) process.stderr.write(`${describeEscaped(escaped)}\n`);
  if (guard.escaped.length > 0 && code === EXIT.ok) code = EXIT.failed;
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
}
