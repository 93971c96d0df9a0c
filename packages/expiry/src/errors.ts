import { LpError, describeValue } from "@lp/core";

/**
 * A strategy was given an argument it cannot use. Thrown when the policy is defined,
 * not when a pipeline runs, so a typo fails at once. Carries core's `LP_INVALID_OPTION`
 * code, plus the strategy and argument at fault.
 */
export class ExpiryArgumentError extends LpError {
  /** The strategy that rejected the argument, e.g. `weekly`. */
  readonly strategy: string;
  /** The argument at fault, e.g. `days[1]` or `timeZone`. */
  readonly argument: string;

  /**
   * @param problem - the rest of the message after `strategy(): `, saying what is accepted
   */
  constructor(strategy: string, argument: string, problem: string) {
    super("LP_INVALID_OPTION", `${strategy}(): ${problem}`);
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
export class ExpiryWarning extends Error {
  /** Stable code, also shown by `process.emitWarning`. */
  readonly code: "LP_EXPIRY_IN_PAST";
  /** The strategy that warned. */
  readonly strategy: string;

  constructor(strategy: string, message: string) {
    super(`${strategy}(): ${message}`);
    this.name = "ExpiryWarning";
    this.code = "LP_EXPIRY_IN_PAST";
    this.strategy = strategy;
  }
}
