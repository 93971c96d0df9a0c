/**
 * What to do about a file-system failure of the store, by its error code, as a sentence
 * to end the message with; "" when there is nothing better to say than the error itself.
 */
export function faultHint(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return " Choose a writable folder with the `home` or `dir` option, or the LP_HOME environment variable.";
    case "ENOSPC":
    case "EDQUOT":
      return (
        " The disk is full (or the user's quota is spent): free space there (`lp cache prune` removes expired results, " +
        "`lp cache clear` the rest; the store's `maxSize` option keeps it under a size), or keep results on another disk " +
        "with the `home` or `dir` option or LP_HOME."
      );
    case "EIO":
      return " The disk reported an I/O error: check it (the system log names the device), or keep results on another disk with the `home` or `dir` option or LP_HOME.";
    default:
      return "";
  }
}
