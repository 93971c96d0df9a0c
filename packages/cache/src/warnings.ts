import { CacheIntegrityWarning } from "./errors.js";
import type { Damage } from "./journal/parse.js";

/** The warning for damage found in a journal file. */
export function journalWarning(file: string, damage: Damage): CacheIntegrityWarning {
  // The record's key cannot be trusted: it may have deleted or replaced any result written before it.
  const consequence = "every result stored before it is treated as missing (the record may have deleted or replaced any of them), and their tasks will run again.";
  return damage.kind === "torn"
    ? new CacheIntegrityWarning("journal-torn", file, `Journal file ${file} ends in a partly written or damaged record at byte ${damage.offset}; ${consequence}`)
    : new CacheIntegrityWarning("journal-corrupt", file, `Journal file ${file} has a damaged record at byte ${damage.offset}; ${consequence}`);
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
