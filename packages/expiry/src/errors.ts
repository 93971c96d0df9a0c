import { InvalidOptionError, LpError } from "@lp/core";
import { describeValue } from "@lp/core/internal";

/** Stable codes of the errors and warnings that `@lp/expiry` defines itself. */
export type ExpiryErrorCode = "LP_EXPIRY_IN_PAST";

/**
 * A strategy was given an argument it cannot use. Thrown when the policy is defined,
 * not when a pipeline runs, so a typo fails at once. An `InvalidOptionError` (code
 * `LP_INVALID_OPTION`) that also names the strategy and argument at fault.
 */
export class ExpiryArgumentError extends InvalidOptionError {
  /** The strategy that rejected the argument, e.g. `weekly`. */
  readonly strategy: string;
  /** The argument at fault, e.g. `days[1]` or `timeZone`. */
  readonly argument: string;

  /**
   * @param problem - the rest of the message after `strategy(): `, saying what is accepted
   */
  constructor(strategy: string, argument: string, problem: string) {
    super(`${strategy}()`, argument, { message: `${strategy}(): ${problem}` });
    this.strategy = strategy;
    this.argument = argument;
  }
}

/** Builds the usual "expected `x` to be …, got …" error. */
export function expected(strategy: string, argument: string, what: string, received: unknown, hint?: string): ExpiryArgumentError {
  const tail = hint ? ` ${hint}` : "";
  return new ExpiryArgumentError(strategy, argument, `expected \`${argument}\` to be ${what}, got ${describeValue(received)}.${tail}`);
}

/**
 * A policy that is allowed but probably not what was meant, such as an `atDatetime`
 * already in the past (its results would be stale as soon as they are stored).
 */
export class ExpiryWarning extends LpError {
  declare readonly code: ExpiryErrorCode;
  /** The strategy that warned. */
  readonly strategy: string;

  constructor(strategy: string, message: string) {
    super("LP_EXPIRY_IN_PAST", `${strategy}(): ${message}`, { retryable: false });
    this.strategy = strategy;
  }
}
