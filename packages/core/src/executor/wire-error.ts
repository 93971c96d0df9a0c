import { AbortedError, LpError, errorMessage } from "../errors.js";

/** An error as plain data, so that it can cross a thread or a network and be rebuilt. */
export interface WireError {
  /** The class name, e.g. `"TypeError"`, `"ParseError"`. */
  name: string;
  message: string;
  code?: string | undefined;
  stack?: string | undefined;
  /** `false` when retrying cannot help. */
  retryable?: boolean | undefined;
  cause?: WireError | undefined;
}

const BUILT_IN: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Reduces any thrown value to a WireError. */
export function errorToWire(error: unknown, depth = 0): WireError {
  if (!(error instanceof Error)) return { name: "Error", message: errorMessage(error) };
  const { code, retryable } = error as { code?: unknown; retryable?: unknown };
  return {
    name: error.name,
    message: error.message,
    code: typeof code === "string" ? code : undefined,
    stack: error.stack,
    retryable: typeof retryable === "boolean" ? retryable : undefined,
    cause: error.cause !== undefined && depth < 4 ? errorToWire(error.cause, depth + 1) : undefined,
  };
}

/** An error as plain data for summaries, logs and JSON: name, `code` when it has one, message and stack. */
export function errorInfo(error: unknown): { name: string; code?: string | undefined; message: string; stack?: string | undefined } {
  const { name, code, message, stack } = errorToWire(error);
  return { name, code, message, stack };
}

/**
 * Rebuilds an error sent as a WireError: its class name, message, code and stack as they
 * were where it was thrown. Built-in classes and `AbortedError` come back as themselves,
 * other `LP_` errors as `LpError`; any other class is an `Error` whose `name` is the
 * original class name. A value thrown that was no Error (`throw "text"`) comes back
 * without a stack, as it would be in-process.
 */
export function errorFromWire(wire: WireError): Error {
  const options = wire.cause ? { cause: errorFromWire(wire.cause) } : undefined;
  let error: Error;
  if (wire.code === "LP_ABORTED") error = new AbortedError();
  else if (wire.code?.startsWith("LP_")) error = new LpError(wire.code as `LP_${string}`, wire.message, options);
  else error = new (BUILT_IN[wire.name] ?? Error)(wire.message, options);
  Object.defineProperty(error, "message", { value: wire.message, writable: true, configurable: true });
  Object.defineProperty(error, "name", { value: wire.name, writable: true, configurable: true });
  if (wire.code !== undefined && !(error instanceof LpError)) Object.assign(error, { code: wire.code });
  if (wire.retryable !== undefined) Object.assign(error, { retryable: wire.retryable });
  // A thrown value that was no Error had no stack: one made here would point into this
  // library as if it were the task's code.
  Object.defineProperty(error, "stack", { value: wire.stack, writable: true, configurable: true });
  return error;
}
