import type { PutOptions } from "./store.js";

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
  /**
   * Optional, for a serializer that picks a format per value (the default stores a Buffer
   * as its raw bytes, and what MessagePack would change with the v8 serializer). Core calls
   * it instead of `serialize` and records the name it returns with the result; that name
   * is this serializer's own or one of the serializers core knows (`v8`, `json`, `bytes`,
   * `msgpack`), so that the result reads back whatever the task's serializer is later.
   * @param options - `copy`: core may read the result back soon after the run, in this
   *   process; a serializer that can make a copy cheaply as it goes returns it as
   *   `EncodedResult.copy`, which spares that reader decoding the body
   * @throws when the value cannot be represented; core reports it against the task.
   * @example
   * const { body, serializer, copy } = await msgpackSerializer.encode!(rows, { copy: true });
   */
  encode?(value: unknown, options?: EncodeOptions): EncodedResult | Promise<EncodedResult>;
}

/** What core asks of {@link Serializer.encode} besides the bytes. */
export interface EncodeOptions {
  /**
   * Also give {@link EncodedResult.copy} when it comes cheap. Only asked for a result core
   * is likely to read back in this process; a serializer may always leave the copy out.
   * @default false
   */
  copy?: boolean;
}

/** A result serialized by {@link Serializer.encode}: its bytes and the serializer that reads them. */
export interface EncodedResult {
  body: Uint8Array;
  /** Name of the serializer that reads `body` back. */
  serializer: string;
  /**
   * True when `body` is memory the serializer has just made for this value and keeps no
   * reference to, so that nothing will ever write to it: core may then let the store write
   * it without a copy of its own (see {@link PutOptions.owned}). Leave it out for bytes
   * anyone else holds, such as a Buffer the task returned.
   * @default false
   */
  owned?: boolean;
  /**
   * A value equal to what `deserialize(body)` returns (same types, keys in the same order,
   * same values; strings and other primitives may be the very ones given), held by no one
   * else: not the value given, nor anything inside it, nor anything the serializer keeps.
   * Core hands it to the first reader of the result instead of decoding the body. Given
   * only when {@link EncodeOptions.copy} asks for it; left out by a serializer whose
   * `deserialize` answers with a promise.
   */
  copy?: { value: unknown };
}
