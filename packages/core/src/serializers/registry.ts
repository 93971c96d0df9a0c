import type { EncodedResult, Serializer } from "../contracts/serializer.js";
import { bytesSerializer } from "./bytes.js";
import { jsonSerializer } from "./json.js";
import { msgpackSerializer } from "./msgpack.js";
import { v8Serializer } from "./v8.js";

/** The serializers core knows by name; a task's own serializer is looked up from the task. */
export const builtinSerializers: ReadonlyMap<string, Serializer> = new Map(
  [msgpackSerializer, v8Serializer, jsonSerializer, bytesSerializer].map((s) => [s.name, s]),
);

/** The serializer that reads a body written by `format`: the task's own, else one core knows. */
export function serializerFor(own: Serializer | undefined, format: string): Serializer | undefined {
  return own?.name === format ? own : builtinSerializers.get(format);
}

/** Whether `serializer` may have written a body recorded as `format`: its own name, or one it picks per value. */
export function writesFormat(serializer: Serializer, format: string): boolean {
  return format === serializer.name || (serializer.encode !== undefined && builtinSerializers.has(format));
}

/** A value as bytes, with the name of the serializer that reads them back. */
export async function encodeResult(serializer: Serializer, value: unknown): Promise<EncodedResult> {
  if (serializer.encode) return serializer.encode(value);
  return { body: await serializer.serialize(value), serializer: serializer.name };
}
