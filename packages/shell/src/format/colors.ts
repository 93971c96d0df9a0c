import { wantsColor as sharedWantsColor } from "@lp/core/internal";
import pc from "picocolors";
// The type comes from picocolors' named-export typings: published declarations that
// default-import picocolors (an `export =` module) break without esModuleInterop.
import type { Colors } from "picocolors/types.js";

/** The colour functions the shell uses; identity functions when colour is off. */
export type { Colors };

/**
 * Whether to colour output written to `stream`: core's one rule, shared with the logger —
 * `NO_COLOR` turns it off, `FORCE_COLOR` (not `0`/`false`) on, else only a terminal that is
 * not `TERM=dumb`.
 */
export function wantsColor(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return sharedWantsColor(stream as { isTTY?: boolean }, env);
}

/** Colour functions, on or off. */
export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
