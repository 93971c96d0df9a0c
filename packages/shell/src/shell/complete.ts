import { normalizeCommand } from "./names.js";

/** What completion needs from the shell. */
export interface CompletionSource {
  /** Command names (and aliases) to offer for the first word. */
  commandNames(): string[];
  /** Candidates for the word being typed after `command`; filtered by prefix here. */
  completeArgs(command: string, args: readonly string[], partial: string): string[];
}

/**
 * A readline completer: the first word completes to a command, later words to whatever
 * the command offers (task names, options). Returns readline's `[matches, partial]`.
 */
export function completeLine(line: string, source: CompletionSource): [string[], string] {
  const partial = /(\S*)$/.exec(line)?.[1] ?? "";
  const before = line.slice(0, line.length - partial.length).trim();
  const words = before === "" ? [] : before.split(/\s+/);
  let candidates: string[];
  if (words.length === 0) {
    candidates = source.commandNames();
  } else {
    try {
      candidates = source.completeArgs(normalizeCommand(words[0]!), words.slice(1), partial);
    } catch {
      candidates = [];
    }
  }
  const hits = [...new Set(candidates.filter((c) => c.startsWith(partial)))].sort();
  return [hits, partial];
}

/**
 * Completes a `--option=A,B` value: `--skip=Ta` → `--skip=TaskOne`, with the names
 * already given kept in front.
 */
export function completeListOption(partial: string, option: string, names: readonly string[]): string[] {
  const head = `--${option}=`;
  if (!partial.startsWith(head)) return [];
  const comma = partial.lastIndexOf(",");
  const prefix = comma >= 0 ? partial.slice(0, comma + 1) : head;
  return names.map((n) => prefix + n);
}
