/** The parts of a stream and an environment the colour rule reads. */
export interface ColorTarget {
  isTTY?: boolean | undefined;
}

/**
 * Whether to colour output written to `stream`. The one rule every package follows:
 * `NO_COLOR` set to anything non-empty turns colour off (https://no-color.org); else
 * `FORCE_COLOR` set to anything but `""`, `0` or `false` turns it on; else only a terminal
 * that is not `TERM=dumb` gets colour.
 */
export function wantsColor(stream: ColorTarget | undefined, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "" && force !== "0" && force !== "false") return true;
  return stream?.isTTY === true && env.TERM !== "dumb";
}
