import type { AttemptResult } from "../contracts/executor.js";
import type { Pipeline } from "../pipeline.js";
import { bytesSerializer } from "../serializers/bytes.js";
import { readStored } from "./read.js";
import { readerCopy } from "./recent.js";

/**
 * Values read ahead, by the body they were read from; each held weakly, in a box so that
 * a primitive can be held too: garbage collection may take it whenever it wants the memory.
 */
const readAhead = new WeakMap<Uint8Array, WeakRef<{ value: unknown }>>();

/**
 * Reads a big result back while its save waits on the disk, for `getResult()` after the
 * run, which then need not deserialize it: the last task of a run usually gives the result
 * a caller asks for, and the thread would otherwise sit idle until the body is durable.
 * Done on the next turn (the store has started writing by then), and only while `alone()`
 * says no other task of the run is left to run, so that it never holds up other work. Raw
 * bytes are not read ahead: reading them back costs a copy, not a decoding.
 */
export function readAheadLater(pipeline: Pipeline, name: string, outcome: AttemptResult, alone: () => boolean): void {
  const { body } = outcome;
  const serializer = outcome.serializer ?? (pipeline.hasTask(name) ? pipeline.getTask(name).serializer.name : undefined);
  if (serializer === undefined || serializer === bytesSerializer.name) return;
  setImmediate(() => {
    if (!alone()) return;
    try {
      const value = readStored(pipeline, name, readerCopy(body, serializer).body, serializer);
      readAhead.set(body, new WeakRef({ value }));
    } catch {
      // Read as usual when asked for, which reports what is wrong.
    }
  });
}

/** The value read ahead from `body`, if it is still in memory: for the first reader only. */
export function takeReadAhead(body: Uint8Array): { value: unknown } | undefined {
  const box = readAhead.get(body)?.deref();
  readAhead.delete(body);
  return box;
}
