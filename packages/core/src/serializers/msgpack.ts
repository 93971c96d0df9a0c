import { serialize as v8Serialize } from "node:v8";
import type * as Msgpackr from "msgpackr";
import type { EncodeOptions, EncodedResult, Serializer } from "../contracts/serializer.js";
import { bytesSerializer } from "./bytes.js";
import { newPackr } from "./msgpack-packr.js";
import { packPrimitive, unpackPrimitive } from "./msgpack-primitive.js";
import { SLICED_FROM, SlicedPack, deferBody } from "./msgpack-slices.js";
import { type PackFit, copyOf, findUnserializable, v8Serializer } from "./v8.js";

let packr: Msgpackr.Packr | undefined;

function packer(): Msgpackr.Packr {
  packr ??= newPackr();
  return packr;
}

// msgpackr packs into one shared buffer and hands back a view of it; a small result is
// copied into its own, so that holding it does not hold a big buffer.
const OWN_COPY_BELOW = 64 * 1024;

// Always a Buffer: msgpackr writes strings with Buffer's utf8Write.
const freshBuffer = (bytes: number) => Buffer.allocUnsafeSlow(bytes);

/** @param estimate - about how many bytes it takes: a big result gets a buffer of that size at once, not one grown and copied step by step */
function pack(value: unknown, estimate: number): Uint8Array {
  const packr = packer();
  if (estimate >= OWN_COPY_BELOW) packr.useBuffer(freshBuffer(Math.ceil(estimate * 1.05) + 8192));
  const view = packr.pack(value);
  if (view.byteLength < OWN_COPY_BELOW) {
    const own = freshBuffer(view.byteLength);
    own.set(view);
    return own;
  }
  // Later results must not be written after a big one and keep its buffer alive.
  packr.useBuffer(freshBuffer(8192));
  return view;
}

function encode(value: unknown, options?: EncodeOptions): EncodedResult {
  return encodeFor(value, false, options);
}

/**
 * As the serializer's `encode`, except that a big top-level array is left to pack: its body
 * is packed when first read, or in slices by a save that writes each as it comes (see
 * msgpack-slices.ts). For an attempt on this thread, whose save follows at once.
 */
export function encodeDeferring(value: unknown, options?: EncodeOptions): EncodedResult {
  return encodeFor(value, true, options);
}

function encodeFor(value: unknown, defer: boolean, options: EncodeOptions | undefined): EncodedResult {
  if (Buffer.isBuffer(value) && Object.getPrototypeOf(value) === Buffer.prototype) {
    return { body: value, serializer: bytesSerializer.name };
  }
  const small = packPrimitive(value);
  if (small) return options?.copy ? { body: small, serializer: "msgpack", copy: { value } } : { body: small, serializer: "msgpack" };
  const fit: PackFit = { exact: true, bytes: 0, chars: 0, copy: options?.copy === true };
  const problem = findUnserializable(value, "result", new Set(), fit);
  if (problem) throw new TypeError(problem);
  if (!fit.exact) return { body: v8Serialize(value), serializer: v8Serializer.name, owned: true };
  // With a copy, the copy is what is packed: the bytes are exactly the copy, whatever the
  // task's value (a getter, a Proxy, code that changes it later) would answer if read again.
  const copy = copyOf(value, fit);
  const packed = copy ? copy.value : value;
  const done: Omit<EncodedResult, "body"> = copy ? { serializer: "msgpack", owned: true, copy } : { serializer: "msgpack", owned: true };
  if (defer && fit.bytes >= SLICED_FROM && Array.isArray(packed)) return deferBody(done, new SlicedPack(packed, fit.bytes, pack, fit.bytes + 2 * fit.chars!));
  return { body: pack(packed, fit.bytes), ...done };
}

/**
 * The default: MessagePack with record structures (msgpackr) for plain data, which reads
 * back several times faster than structured serialization, carrying exactly what the v8
 * serializer carries. Per value it picks the format that keeps it exact, recorded with the
 * result: a Buffer is stored as its raw bytes (no copy, read back as a Buffer); a value
 * MessagePack would change — shared or circular references, -0, array holes or named array
 * properties, lone surrogates, errors, boxed primitives — is stored by the v8 serializer.
 * Values neither carries (functions, symbol keys, class instances, objects without a
 * prototype, error subclasses) are refused, naming the path. Asked for a copy, it gives one
 * of a tree of plain objects, arrays and primitives that MessagePack carries exactly (and of
 * a primitive), made while checking the value, and packs that copy; nothing else gets one.
 */
export const msgpackSerializer: Serializer = {
  name: "msgpack",
  serialize: (value) => encode(value).body,
  encode,
  deserialize(bytes) {
    const small = unpackPrimitive(bytes);
    if (small) return small.value;
    // A Buffer source, so that Buffers inside the value come back as Buffers (not Uint8Arrays).
    return packer().unpack(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  },
};
