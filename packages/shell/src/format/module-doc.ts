import { readFileSync } from "node:fs";

/**
 * The doc comment at the top of a module (after a `#!` line): a block comment or a run of
 * `//` lines, as one paragraph of plain text; the seed's shell showed a module's docstring
 * the same way. `undefined` when the file has none or cannot be read.
 * @example moduleDocComment("/src/tasks.ts") // "Loads the daily sales export."
 */
export function moduleDocComment(file: string | undefined): string | undefined {
  if (!file) return undefined;
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const text = source.replace(/^#![^\n]*\n/, "").trimStart();
  let lines: string[] | undefined;
  const block = /^\/\*+([\s\S]*?)\*\//.exec(text);
  if (block) lines = block[1]!.split("\n").map((l) => l.replace(/^\s*\*+ ?/, "").trim());
  else {
    const slashes = /^(?:\/\/[^\n]*(?:\n|$))+/.exec(text);
    if (slashes) lines = slashes[0].split("\n").map((l) => l.replace(/^\s*\/\/+ ?/, "").trim());
  }
  if (!lines) return undefined;
  // The first paragraph, up to a blank line or a tag such as @module.
  const first: string[] = [];
  for (const line of lines) {
    if (line.startsWith("@") || (line === "" && first.length > 0)) break;
    if (line !== "") first.push(line);
  }
  return first.length > 0 ? first.join(" ") : undefined;
}
