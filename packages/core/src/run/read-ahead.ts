import { getHeapStatistics } from "node:v8";
import type { AttemptResult } from "../contracts/executor.js";
import type { Pipeline } from "../pipeline.js";
import { bytesSerializer } from "../serializers/bytes.js";
import { readStored } from "./read.js";
import { readerCopy } from "./recent.js";

/**
 * The one value read ahead, with the body it was read from; held weakly, in a box so that a
 * primitive can be held too: garbage collection may take it whenever it wants the memory.
 * One at a time, and dropped when a run starts, so that a loop of runs nobody reads from
 * never holds more than one extra copy.
 */
let readAhead: { body: Uint8Array; value: WeakRef<{ value: unknown }> } | undefined;

// Decoding makes objects several times the body's size while the task's own value is usually
// still alive, and reading ahead is only a saving: it is done only far from the heap's limit.
const HEADROOM_PER_BODY_BYTE = 16;

function roomFor(bytes: number): boolean {
  const heap = getHeapStatistics();
  return heap.heap_size_limit - heap.used_heap_size >= bytes * HEADROOM_PER_BODY_BYTE;
}

// A copy is at most the size of the task's value, which the heap holds already, and usually
// less (strings are shared). Asked for only far from the heap's limit: a copy that leaves the
// heap nearly full has the collector run again and again (a run of 300,000 records in a
// 160 MB heap took 2.5 times as long with room for one copy only).
const COPY_HEADROOM_PER_USED_BYTE = 4;

/**
 * Whether the heap has room for a copy of a result about to be encoded, for reading it
 * ahead (see `EncodeOptions.copy`) instead of decoding it. Its size is not known yet: the
 * heap in use bounds it.
 */
export function roomForCopy(): boolean {
  const heap = getHeapStatistics();
  return heap.heap_size_limit - heap.used_heap_size >= heap.used_heap_size * COPY_HEADROOM_PER_USED_BYTE;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as { then?: unknown }).then === "function";

/**
 * Reads a big result back while its save waits on the disk, for `getResult()` after the
 * run, which then need not deserialize it: the last task of a run usually gives the result
 * a caller asks for, and the thread would otherwise sit idle until the body is durable.
 * Done on the next turn (the store has started writing by then), and only while `alone()`
 * says no other task of the run is left to run, so that it never holds up other work, and
 * while the heap has room to spare. Raw bytes are not read ahead: reading them back costs a
 * copy, not a decoding. A serializer that answers with a promise is left to the reader.
 * When the serializer made a copy of the value as it encoded it (`outcome.copy`), that copy
 * is what is kept, and nothing is decoded.
 */
export function readAheadLater(pipeline: Pipeline, name: string, outcome: AttemptResult, alone: () => boolean): void {
  const { body, copy } = outcome;
  // Held from here on by the value read ahead alone, weakly.
  outcome.copy = undefined;
  const serializer = outcome.serializer ?? (pipeline.hasTask(name) ? pipeline.getTask(name).serializer.name : undefined);
  if (serializer === undefined || serializer === bytesSerializer.name) return;
  if (copy) {
    // Made while the value was checked (see `roomForCopy`): nothing is left to do but keep it.
    readAhead = undefined;
    if (alone() && !isThenable(copy.value)) readAhead = { body, value: new WeakRef({ value: copy.value }) };
    return;
  }
  setImmediate(() => {
    if (!alone() || !roomFor(body.byteLength)) return;
    readAhead = undefined;
    try {
      const value = readStored(pipeline, name, readerCopy(body, serializer).body, serializer);
      if (isThenable(value)) {
        // Its outcome, failure included, is the reader's to see when it reads.
        Promise.resolve(value).catch(() => {});
        return;
      }
      readAhead = { body, value: new WeakRef({ value }) };
    } catch {
      // Read as usual when asked for, which reports what is wrong.
    }
  });
}

/** The value read ahead from `body`, if it is still in memory: for the first reader only. */
export function takeReadAhead(body: Uint8Array): { value: unknown } | undefined {
  if (readAhead?.body !== body) return undefined;
  const box = readAhead.value.deref();
  readAhead = undefined;
  return box;
}

/** Forgets the value read ahead: a new run starts, whose results are what readers will want. */
export function dropReadAhead(): void {
  readAhead = undefined;
}
