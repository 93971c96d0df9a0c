import stringWidth from "string-width";

/** Printable ASCII, where a string's width is its length. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Columns a string takes on a terminal (wide CJK characters count two, combining marks
 * none). Task names are mostly plain ASCII, measured by length without string-width's
 * grapheme walk, which a run of 10,000 tasks would otherwise pay on every line.
 */
export function displayWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}
