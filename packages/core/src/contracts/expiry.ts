/**
 * An expiry policy decides, when a result is stored, until when it stays fresh.
 * Policies are pure functions of "now", so a clock can be injected in tests.
 */
export interface ExpiryPolicy {
  /** Short name shown to people, e.g. `never`, `atMidnight`, `weekly(Mon,Thu)`. */
  readonly label: string;
  /**
   * The absolute time (ms since the epoch) after which a result stored at `now` is stale,
   * or `null` when time alone never makes it stale.
   */
  expiresAt(now: Date): number | null;
  /** The result lives only as long as the process session that wrote it. */
  readonly session?: boolean;
  /** The result expires when the pipeline run that wrote it completes. */
  readonly onComplete?: boolean;
}
