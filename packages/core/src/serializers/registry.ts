import type { Serializer } from "../contracts/serializer.js";
import { bytesSerializer } from "./bytes.js";
import { jsonSerializer } from "./json.js";
import { v8Serializer } from "./v8.js";

/** The serializers core knows by name; a task's own serializer is looked up from the task. */
export const builtinSerializers: ReadonlyMap<string, Serializer> = new Map(
  [v8Serializer, jsonSerializer, bytesSerializer].map((s) => [s.name, s]),
);
