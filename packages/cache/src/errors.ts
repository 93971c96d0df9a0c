import { LpError } from "@lp/core";

/** Stable codes of the errors and warnings that `@lp/cache` defines itself. */
export type CacheErrorCode = "LP_CACHE_INTEGRITY" | "LP_CACHE_NAME_CLASH" | "LP_CACHE_READ_ONLY" | "LP_CACHE_SYMLINK";

/** What an integrity warning is about. */
export type IntegrityProblem =
  /** A result body whose bytes no longer match its digest (bit rot, a partial copy, tampering). */
  | "body-corrupt"
  /** A result body file that has disappeared from the content store. */
  | "body-missing"
  /** A journal record that fails its checksum, in the middle of a journal file. */
  | "journal-corrupt"
  /** A journal file that ends in a half-written record, as a crash leaves it. */
  | "journal-torn";

/**
 * Reported through the store's `onWarning` when stored data fails verification. The data
 * concerned is treated as missing, so the task that produced it simply runs again; it is a
 * warning rather than an error because nothing wrong is ever returned.
 */
export class CacheIntegrityWarning extends LpError {
  declare readonly code: "LP_CACHE_INTEGRITY";
  constructor(
    /** What went wrong. */
    readonly problem: IntegrityProblem,
    /** The file concerned (a content file or a journal file). */
    readonly file: string,
    message: string,
    /** The task whose result is affected, when known. */
    readonly key?: string,
  ) {
    // Damaged data is treated as missing: running the task again stores it anew.
    super("LP_CACHE_INTEGRITY", message, { retryable: true });
  }
}

/**
 * A cache folder, or a folder inside it, is a symbolic link. The store never follows one:
 * results could be written to, or read from, wherever it points.
 */
export class CacheSymlinkError extends LpError {
  declare readonly code: "LP_CACHE_SYMLINK";
  constructor(readonly path: string) {
    super(
      "LP_CACHE_SYMLINK",
      `${path} is a symbolic link, and a cache folder never follows links (results could end up wherever it points). ` +
        "Remove the link; to keep results elsewhere, point the `home` or `dir` option (or LP_HOME) at the real folder.",
      { retryable: false },
    );
  }
}

/**
 * Two pipeline names map to the same cache folder. This happens only on a case-insensitive
 * file system (`Report` and `report`); give one pipeline another name, or pass `dir`.
 */
export class CacheNameClashError extends LpError {
  declare readonly code: "LP_CACHE_NAME_CLASH";
  constructor(
    readonly pipeline: string,
    readonly dir: string,
    readonly owner: string,
  ) {
    super(
      "LP_CACHE_NAME_CLASH",
      `Pipeline "${pipeline}" maps to the cache folder ${dir}, which already belongs to pipeline "${owner}" ` +
        "(the file system does not tell their names apart). Rename one of the pipelines, or give this one its own folder with the `dir` option.",
      { retryable: false },
    );
  }
}

/**
 * The cache folder cannot be written: it, or the folder it would be made in, is on a
 * read-only file system or lacks write permission. Nothing is stored; point the store
 * at a writable folder.
 */
export class CacheReadOnlyError extends LpError {
  declare readonly code: "LP_CACHE_READ_ONLY";
  constructor(
    /** The cache folder the store uses. */
    readonly dir: string,
    /** The folder found read-only: `dir` itself or the nearest one above it that exists. */
    readonly readOnly: string,
    what: string,
    cause: unknown,
  ) {
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
    const why = errno === "EROFS" ? "it is on a read-only file system" : "this user has no write permission there";
    super(
      "LP_CACHE_READ_ONLY",
      `Could not ${what} in ${dir}: ${readOnly} is read-only (${why}${errno ? `: ${errno}` : ""}). ` +
        "Make it writable, or keep results in a writable folder with the `home` or `dir` option or the LP_HOME environment variable.",
      // A read-only folder stays read-only for the next attempt.
      { cause, retryable: false },
    );
  }
}
