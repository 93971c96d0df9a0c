import { createHash } from "node:crypto";
import { InvalidOptionError } from "@lp/core";

/** Characters kept as they are; everything else is percent-encoded. */
const KEEP = /[\p{L}\p{N}_\- .]/u;
/** Device names Windows reserves, with or without an extension. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;
/** Longest encoded name kept whole, in bytes; leaves room for the rotation stamp and `.log`. */
const MAX_BYTES = 200;

const percent = (ch: string) => [...Buffer.from(ch, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");

/**
 * A file-name stem for a task or pipeline name that cannot escape its folder and cannot
 * collide with another name's: `/`, `\`, `:`, `%`, `~` and other reserved characters are
 * percent-encoded (`a/b` → `a%2Fb`, while `a_b` stays `a_b`), as are a leading or
 * trailing dot or space and Windows device names. Reversible with {@link fromFileName},
 * except for names longer than 200 bytes once encoded, which are cut and suffixed with a
 * hash (`~h…`) to stay unique.
 *
 * Letter case is kept, so on case-insensitive file systems `Task` and `task` share a file.
 * @throws InvalidOptionError for an empty name (tasks and pipelines always have one)
 * @example toFileName("extract/daily") // "extract%2Fdaily"
 */
export function toFileName(name: string): string {
  if (typeof name !== "string" || name === "") throw new InvalidOptionError("toFileName()", "name", "a non-empty string", name);
  const chars = [...name];
  let out = chars.map((ch) => (KEEP.test(ch) ? ch : percent(ch))).join("");
  if (/^[. ]/.test(out) || WINDOWS_DEVICE.test(out)) out = percent(out[0]!) + out.slice(1);
  if (/[. ]$/.test(out)) out = out.slice(0, -1) + percent(out.at(-1)!);
  if (Buffer.byteLength(out) <= MAX_BYTES) return out;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 12);
  let cut = Buffer.from(out).subarray(0, MAX_BYTES - 16).toString("utf8").replace(/\uFFFD+$/, "");
  cut = cut.replace(/%[0-9A-F]?$/, "");
  return `${cut}~h${hash}`;
}

/**
 * The name a {@link toFileName} stem (or a `.log` file name) stands for, or `undefined`
 * for a stem that was cut and hashed, a rotated file, or something not made by toFileName.
 * @example fromFileName("extract%2Fdaily.log") // "extract/daily"
 */
export function fromFileName(fileName: string): string | undefined {
  const stem = fileName.endsWith(".log") ? fileName.slice(0, -4) : fileName;
  if (stem === "" || stem.includes("~") || stem.includes("/") || stem.includes("\\")) return undefined;
  try {
    const name = decodeURIComponent(stem);
    return toFileName(name) === stem ? name : undefined;
  } catch {
    return undefined;
  }
}
