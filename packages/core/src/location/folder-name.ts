import { createHash } from "node:crypto";
import { InvalidOptionError } from "../errors.js";

/** Characters kept as they are; everything else is percent-encoded. */
const KEEP = /[\p{L}\p{N}_\- .]/u;
/** ASCII names kept exactly as they are: no leading or trailing dot or space, nothing to encode. */
const PLAIN = /^[A-Za-z0-9_-](?:[A-Za-z0-9_\- .]*[A-Za-z0-9_-])?$/;
/** Device names Windows reserves, with or without an extension. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;
/**
 * Longest encoded name kept whole, in bytes: short enough for a folder or file name on every
 * common file system, with room for a log file's rotation stamp and `.log`.
 */
export const MAX_NAME_BYTES = 120;

const percent = (ch: string) => [...Buffer.from(ch, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");

/**
 * The one rule that turns a pipeline or task name into a folder or file name: the cache
 * folder, the log folder and each task's log file all use it, so they always agree.
 *
 * Letters and digits of any script, `_`, `-`, `.` and space are kept (`Données` and `報告`
 * stay readable); everything else (`/`, `\`, `:`, `%`, `~` …) is percent-encoded as UTF-8, as
 * are a leading or trailing dot or space and Windows device names (`con` → `%63on`). The
 * result can never escape its folder or collide with another name's. Names longer than
 * {@link MAX_NAME_BYTES} once encoded are cut and suffixed with a hash (`~h…`).
 *
 * @throws InvalidOptionError for an empty name (tasks and pipelines always have one)
 * @example safeName("extract/daily") // "extract%2Fdaily"
 */
export function safeName(name: string): string {
  if (typeof name !== "string" || name === "") throw new InvalidOptionError("safeName()", "name", "a non-empty string", name);
  // Most names need no encoding: checked in one pass instead of character by character.
  if (name.length <= MAX_NAME_BYTES && PLAIN.test(name) && !WINDOWS_DEVICE.test(name)) return name;
  let out = [...name].map((ch) => (KEEP.test(ch) ? ch : percent(ch))).join("");
  if (/^[. ]/.test(out) || WINDOWS_DEVICE.test(out)) out = percent(out[0]!) + out.slice(1);
  if (/[. ]$/.test(out)) out = out.slice(0, -1) + percent(out.at(-1)!);
  if (Buffer.byteLength(out) <= MAX_NAME_BYTES) return out;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 12);
  let cut = Buffer.from(out).subarray(0, MAX_NAME_BYTES - 16).toString("utf8").replace(/\uFFFD+$/, "");
  cut = cut.replace(/%[0-9A-F]?$/, "");
  return `${cut}~h${hash}`;
}

/**
 * The name a {@link safeName} stem (or a `.log` file name) stands for, or `undefined` for a
 * stem that was cut and hashed, a rotated file, or something `safeName` did not make.
 * @example nameOfSafeName("extract%2Fdaily.log") // "extract/daily"
 */
export function nameOfSafeName(fileName: string): string | undefined {
  const stem = fileName.endsWith(".log") ? fileName.slice(0, -4) : fileName;
  if (stem === "" || stem.includes("~") || stem.includes("/") || stem.includes("\\")) return undefined;
  try {
    const name = decodeURIComponent(stem);
    return safeName(name) === stem ? name : undefined;
  } catch {
    return undefined;
  }
}
