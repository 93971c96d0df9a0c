import { UsageError } from "../errors.js";

/**
 * Splits a command line into words the way a POSIX shell would for simple cases:
 * whitespace separates, single and double quotes group (so task names with spaces work),
 * and a backslash escapes the next character outside single quotes.
 *
 * @throws UsageError for an unterminated quote
 * @example tokenize(`peek "Task One"`) // ["peek", "Task One"]
 */
export function tokenize(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === "\\" && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === "\\" && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new UsageError("input", `the ${quote === '"' ? "double" : "single"} quote is not closed.`);
  if (inWord) words.push(word);
  return words;
}

/** Quotes a word for the command line when it needs it (spaces or quotes inside). */
export function quoteWord(word: string): string {
  return /[\s"'\\]/.test(word) ? `"${word.replace(/["\\]/g, "\\$&")}"` : word;
}
