import pc from "picocolors";
// The type comes from picocolors' named-export typings: published declarations that
// default-import picocolors (an `export =` module) break without esModuleInterop.
import type { Colors } from "picocolors/types.js";

/** The colour functions the shell uses; identity functions when colour is off. */
export type { Colors };

/**
 * Whether to colour output written to `stream`: only on a terminal, and never when
 * `NO_COLOR` is set to a non-empty value (https://no-color.org). `FORCE_COLOR` turns it on.
 */
export function wantsColor(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== "0") return true;
  return (stream as { isTTY?: boolean }).isTTY === true;
}

/** Colour functions, on or off. */
export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
