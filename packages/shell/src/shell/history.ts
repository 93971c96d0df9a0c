import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Lines of a history file, newest first as readline wants them; none when it is missing. */
export function loadHistory(file: string | undefined, size: number): string[] {
  if (!file) return [];
  try {
    return readFileSync(file, "utf8").split("\n").filter(Boolean).reverse().slice(0, size);
  } catch {
    return [];
  }
}

/** Writes readline's history (newest first) to a file, oldest line first. Failures are ignored: history is a convenience. */
export function saveHistory(file: string | undefined, history: readonly string[]): void {
  if (!file) return;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${[...history].reverse().join("\n")}\n`, { mode: 0o600 });
  } catch {
    // An unwritable history file must not break the shell.
  }
}
