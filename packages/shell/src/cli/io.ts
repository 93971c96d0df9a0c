/** Where `lp` reads and writes, so that it can run inside another program. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Folder relative pipeline paths are resolved against. */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Exit codes of `lp`. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export function defaultIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** Writes a line to a stream. */
export function line(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${text}\n`);
}

/**
 * The stream for diagnostics (run lines, progress, warnings): stderr when stdout is not a
 * terminal or carries JSON, so that stdout holds only the command's result.
 */
export function diagnosticsStream(io: CliIO, json: boolean): NodeJS.WritableStream {
  return json || (io.stdout as { isTTY?: boolean }).isTTY !== true ? io.stderr : io.stdout;
}
