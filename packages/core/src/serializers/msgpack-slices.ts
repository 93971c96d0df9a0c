import { newPackr } from "./msgpack-packr.js";

/**
 * From this estimated size, a top-level array may be packed in slices, each handed on (to
 * be written) as soon as it is packed, instead of packed whole and then written.
 */
export const SLICED_FROM = 8 * 1024 * 1024;

/** About how many bytes each slice packs to: small enough that the disk starts early, big enough that each write is worth its trip. */
const SLICE_BYTES = 8 * 1024 * 1024;

/** The size of the buffer an array estimated at `estimate` bytes is packed into in slices: the most bytes its body can have. */
export const sliceBufferBytes = (estimate: number) => Math.ceil(estimate * 1.05) + 8192;

/** Bytes of an array header for `n` elements, as msgpackr writes it. */
const headerBytes = (n: number) => (n < 0x10 ? 1 : n < 0x10000 ? 3 : 5);

function writeHeader(target: Buffer, n: number): number {
  if (n < 0x10) {
    target[0] = 0x90 | n;
    return 1;
  }
  if (n < 0x10000) {
    target[0] = 0xdc;
    target.writeUInt16BE(n, 1);
    return 3;
  }
  target[0] = 0xdd;
  target.writeUInt32BE(n, 1);
  return 5;
}

/**
 * Packs an array as one MessagePack array in slices of its elements, written one after
 * another into one buffer sized from `estimate`; `onBytes` is given each stretch of finished
 * bytes as soon as it is final, in order, and nothing writes to a stretch after it is given.
 * The body is what one `pack` of the array gives, byte for byte, except for an array of
 * thousands of object shapes, where msgpackr renumbers its records between slices: still one
 * MessagePack value with its records defined where used, which msgpackr's `unpack` (any
 * release) reads as the same array.
 *
 * How: a packer in msgpackr's sequential mode keeps its record structures from one `pack` to
 * the next, as one `pack` keeps them from one element to the next, so the elements of
 * consecutive slices are the bytes one `pack` would write. Each slice is packed as an
 * array of its own into the buffer just before where its elements belong, so that its own
 * header lands on the last bytes of the slice before, which are put back afterwards; those
 * few bytes are handed on only with the next slice.
 * When a slice outgrows the buffer (the estimate was short: text that is not ASCII), the
 * body goes on in a bigger one, into which what is packed so far is copied; the stretches
 * already handed on stay as they were.
 * @param sliceBytes - about how many bytes each slice packs to
 * @param limit - the most bytes the body may take
 * @returns the body, or `undefined` when it would outgrow `limit`: then what was handed on
 *   is not a body, and the caller packs the array whole instead
 */
export function packInSlices(
  value: readonly unknown[],
  estimate: number,
  onBytes: (bytes: Buffer) => void,
  sliceBytes = SLICE_BYTES,
  limit = sliceBufferBytes(estimate),
): Buffer | undefined {
  const packr = newPackr(true);
  let body = Buffer.allocUnsafeSlow(Math.min(sliceBufferBytes(estimate), limit));
  const n = value.length;
  let end = writeHeader(body, n);
  let given = 0;
  const saved = Buffer.allocUnsafe(5);
  const per = Math.max(1, Math.floor((n * sliceBytes) / Math.max(estimate, 1)));
  for (let from = 0; from < n; from += per) {
    const slice = value.slice(from, Math.min(n, from + per));
    const at = end - headerBytes(slice.length);
    body.copy(saved, 0, at, end);
    packr.useBuffer(body.subarray(at));
    const packed = packr.pack(slice);
    // msgpackr moves to a buffer of its own when it runs out of room, with the whole slice.
    if (packed.buffer !== body.buffer || packed.byteOffset !== body.byteOffset + at) {
      const needed = at + packed.byteLength;
      if (needed > limit) return undefined;
      // Room for the rest at the rate the array has packed so far.
      const rate = needed / Math.min(n, from + slice.length);
      const bigger = Buffer.allocUnsafeSlow(Math.min(limit, Math.max(needed + 5, Math.ceil(rate * n * 1.05) + 8192)));
      body.copy(bigger, 0, 0, at);
      packed.copy(bigger, at);
      body = bigger;
    }
    saved.copy(body, at, 0, end - at);
    end = at + packed.byteLength;
    // The last bytes wait: the next slice's header is written over them for a moment.
    if (end - 5 > given) {
      onBytes(body.subarray(given, end - 5));
      given = end - 5;
    }
  }
  if (end > given) onBytes(body.subarray(given, end));
  return body.subarray(0, end);
}

/**
 * A big top-level array whose check has passed but which is not packed yet: packed whole
 * when its body is first read, or in slices by a save that writes them as they come
 * ({@link claimSlicedPack}).
 */
export class SlicedPack {
  readonly #value: readonly unknown[];
  readonly #packWhole: (value: unknown, estimate: number) => Uint8Array;
  /** About how many bytes it packs to (the check's estimate). */
  readonly estimate: number;
  /** The most bytes it packs to, as far as the check can tell: its text all 3 bytes a character. */
  readonly bound: number;
  #body: Uint8Array | undefined;
  #claimed = false;
  #late = false;

  constructor(value: readonly unknown[], estimate: number, packWhole: (value: unknown, estimate: number) => Uint8Array, bound = estimate) {
    this.#value = value;
    this.estimate = estimate;
    this.bound = Math.max(bound, estimate);
    this.#packWhole = packWhole;
  }

  /** The body, packed whole now unless it already is. */
  whole(): Uint8Array {
    if (this.#body) return this.#body;
    // Packed now, the bytes could be a value the check never saw: refused rather than stored wrong.
    if (this.#late) throw new Error("a big array was not packed before the task's code could change it again");
    this.#body = this.#packWhole(this.#value, this.estimate);
    return this.#body;
  }

  /**
   * Packs in slices (see {@link packInSlices}); `undefined` when it must be packed whole instead.
   * @param limit - the most bytes the body may take
   */
  inSlices(onBytes: (bytes: Buffer) => void, limit?: number): Uint8Array | undefined {
    if (this.#body) return undefined;
    const body = packInSlices(this.#value, this.estimate, onBytes, undefined, limit);
    if (body) this.#body = body;
    return body;
  }

  /** Whether a save took it to pack in slices, it is packed already, or its stretch is over. */
  get settled(): boolean {
    return this.#claimed || this.#body !== undefined || this.#late;
  }

  /** The synchronous stretch it was checked in is over: from now on it is not packed at all. */
  endStretch(): void {
    this.#late = true;
  }

  /** Takes it to pack in slices; false when it is taken or packed already, or its stretch is over. */
  claim(): boolean {
    if (this.settled) return false;
    this.#claimed = true;
    return true;
  }
}

const pending = new WeakMap<object, SlicedPack>();

/**
 * Gives `holder` a `body` that is packed when first read, and remembers `pack` for a save
 * that packs it in slices instead. Only for a caller that reads or claims it in this same
 * synchronous stretch (an attempt on this thread straight into its save): the task's code
 * may change the value at its next turn, and the bytes must be the value as checked. Past
 * the stretch, a pack not yet made is refused (thrown as `failure` where the body is read)
 * rather than made of what the value has become.
 * @param failure - what a failure to pack is thrown as, where the body is read
 */
export function deferBody<T extends object>(holder: T, pack: SlicedPack, failure: (error: unknown) => unknown = (error) => error): T & { body: Uint8Array } {
  Object.defineProperty(holder, "body", {
    configurable: true,
    enumerable: true,
    get() {
      let body: Uint8Array;
      try {
        body = pack.whole();
      } catch (error) {
        throw failure(error);
      }
      Object.defineProperty(holder, "body", { value: body, configurable: true, enumerable: true, writable: true });
      return body;
    },
  });
  pending.set(holder, pack);
  queueMicrotask(() => pack.endStretch());
  return holder as T & { body: Uint8Array };
}

/** The pack behind a deferred body (see {@link deferBody}), for a save to carry on with; `undefined` when there is none or it is taken. */
export function pendingPack(holder: object): SlicedPack | undefined {
  const pack = pending.get(holder);
  return pack && !pack.settled ? pack : undefined;
}

/**
 * Takes the pack behind a deferred body to pack it in slices; `undefined` when there is
 * none, it is packed already or another took it. Its body is set on `holder` once packed.
 */
export function claimSlicedPack(holder: object): SlicedPack | undefined {
  const pack = pending.get(holder);
  if (!pack?.claim()) return undefined;
  pending.delete(holder);
  return pack;
}
