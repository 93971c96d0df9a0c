/**
 * Turns a task's result into bytes and back. Core serializes before a store ever sees a
 * value, so stores deal in bytes only.
 */
export interface Serializer {
  /** Stable name recorded with each result, so the right serializer reads it back. */
  readonly name: string;
  /** @throws when the value cannot be represented; core reports it against the task. */
  serialize(value: unknown): Uint8Array | Promise<Uint8Array>;
  deserialize(bytes: Uint8Array): unknown;
}
