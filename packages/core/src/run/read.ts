import { DeserializationError, errorMessage } from "../errors.js";
import type { Pipeline } from "../pipeline.js";
import { serializerFor } from "../serializers/registry.js";

/** Deserializes a stored body with the serializer that wrote it. */
export function readStored(pipeline: Pipeline, name: string, body: Uint8Array, serializerName: string): unknown {
  const own = pipeline.hasTask(name) ? pipeline.getTask(name).serializer : undefined;
  const serializer = serializerFor(own, serializerName);
  if (!serializer) {
    throw new DeserializationError(
      name,
      `Task "${name}": its stored result was written by serializer "${serializerName}", which the task no longer uses. Give the task that serializer again, or re-run it.`,
    );
  }
  try {
    return serializer.deserialize(body);
  } catch (error) {
    throw new DeserializationError(name, `Task "${name}": its stored result could not be read back (${errorMessage(error)}). Re-run the task.`, error);
  }
}
