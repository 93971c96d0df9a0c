import pc from "picocolors";
// The type comes from picocolors' named-export typings: published declarations that
// default-import picocolors (an `export =` module) break without esModuleInterop.
import type { Colors } from "picocolors/types.js";

/** picocolors' colour functions; all identity when colour is off. */
export type { Colors };

/** Colour functions, on or off. */
export function colorsFor(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
