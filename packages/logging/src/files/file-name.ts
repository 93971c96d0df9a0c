import { nameOfSafeName, safeName } from "@lp/core/internal";

/**
 * A file-name stem for a task or pipeline name that cannot escape its folder and cannot
 * collide with another name's: `/`, `\`, `:`, `%`, `~` and other reserved characters are
 * percent-encoded (`a/b` → `a%2Fb`, while `a_b` stays `a_b`), as are a leading or
 * trailing dot or space and Windows device names. Reversible with {@link fromFileName},
 * except for long names, which are cut and suffixed with a hash (`~h…`) to stay unique.
 * It is the same rule that names the cache folder (`@lp/core/internal`'s `safeName`).
 *
 * Letter case is kept, so on case-insensitive file systems `Task` and `task` share a file.
 * @throws InvalidOptionError for an empty name (tasks and pipelines always have one)
 * @example toFileName("extract/daily") // "extract%2Fdaily"
 */
export function toFileName(name: string): string {
  return safeName(name);
}

/**
 * The name a {@link toFileName} stem (or a `.log` file name) stands for, or `undefined`
 * for a stem that was cut and hashed, a rotated file, or something not made by toFileName.
 * @example fromFileName("extract%2Fdaily.log") // "extract/daily"
 */
export function fromFileName(fileName: string): string | undefined {
  return nameOfSafeName(fileName);
}
