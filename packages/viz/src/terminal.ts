import { PALETTE } from "./palette.js";
import type { VizState } from "./state.js";

/**
 * A task name safe to print: control characters (which could move the cursor or change
 * colours) are shown as `\u001b`-style escapes.
 */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Wraps text in an ANSI SGR sequence when `color` is on. */
export function paint(text: string, sgr: string, color: boolean): string {
  return color ? `\u001b[${sgr}m${text}\u001b[0m` : text;
}

/** `[state]`, in the state's colour when `color` is on. */
export function stateTag(state: VizState, color: boolean): string {
  return paint(`[${state}]`, PALETTE[state].ansi, color);
}
