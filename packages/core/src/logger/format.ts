/** `m:ss.cc` like the seed's timers, e.g. `0:02.50`; hours are added past 60 minutes. */
export function formatDuration(ms: number): string {
  const totalCs = Math.round(ms / 10);
  const cs = totalCs % 100;
  const totalS = Math.floor(totalCs / 100);
  const s = totalS % 60;
  const totalM = Math.floor(totalS / 60);
  const m = totalM % 60;
  const h = Math.floor(totalM / 60);
  const tail = `${String(s).padStart(2, "0")}.${String(cs).padStart(2, "0")}`;
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${tail}` : `${m}:${tail}`;
}

/** A short description of a value's type for "Using cached results (number)". */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (value instanceof Map) return `Map(${value.size})`;
  if (value instanceof Set) return `Set(${value.size})`;
  if (Buffer.isBuffer(value)) return `Buffer(${value.length})`;
  if (typeof value === "object") return (value as object).constructor?.name ?? "Object";
  return typeof value;
}
