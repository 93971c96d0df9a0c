import type { Serializer } from "../contracts/serializer.js";

/** Raw bytes, stored as they are: for big files and blobs where any encoding is waste. */
export const bytesSerializer: Serializer = {
  name: "bytes",
  serialize(value) {
    if (value instanceof Uint8Array) return value;
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    if (typeof value === "string") return Buffer.from(value, "utf8");
    throw new TypeError("the bytes serializer takes a Buffer, Uint8Array, ArrayBuffer or string");
  },
  deserialize(bytes) {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  },
};
