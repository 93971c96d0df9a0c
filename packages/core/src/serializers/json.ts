import type { Serializer } from "../contracts/serializer.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** JSON text: readable by other tools, but Dates become strings and Map/Set are refused. */
export const jsonSerializer: Serializer = {
  name: "json",
  serialize(value) {
    const text = JSON.stringify(value === undefined ? null : value, (_key, v: unknown) => {
      if (v instanceof Map || v instanceof Set) throw new TypeError("JSON cannot hold a Map or Set");
      if (typeof v === "bigint") throw new TypeError("JSON cannot hold a BigInt");
      if (typeof v === "function") throw new TypeError("JSON cannot hold a function");
      return v;
    });
    return encoder.encode(text);
  },
  deserialize(bytes) {
    return JSON.parse(decoder.decode(bytes));
  },
};
