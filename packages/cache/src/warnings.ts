import { CacheIntegrityWarning } from "./errors.js";
import type { Damage } from "./journal/parse.js";

/** The warning for damage found in a journal file. */
export function journalWarning(file: string, damage: Damage): CacheIntegrityWarning {
  return damage.kind === "torn"
    ? new CacheIntegrityWarning(
        "journal-torn",
        file,
        `Journal file ${file} ends in a partly written record at byte ${damage.offset} (left by a crash); the results it held are treated as missing and their tasks will run again.`,
      )
    : new CacheIntegrityWarning(
        "journal-corrupt",
        file,
        `Journal file ${file} has a damaged record at byte ${damage.offset}; the result it held is treated as missing and its task will run again.`,
      );
}

/** The warning for a result body that is missing or does not match its digest. */
export function bodyWarning(key: string, file: string, digest: string, problem: "missing" | "corrupt"): CacheIntegrityWarning {
  return problem === "missing"
    ? new CacheIntegrityWarning("body-missing", file, `The stored result of "${key}" is missing (${file}); it is treated as missing and the task will run again.`, key)
    : new CacheIntegrityWarning(
        "body-corrupt",
        file,
        `The stored result of "${key}" does not match its digest ${digest} (${file}); it was discarded and the task will run again.`,
        key,
      );
}
