import type { LogRecord } from "../record.js";

function safeReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/**
 * A record as one JSON object on one line, for machines: `time` (ISO 8601), `level`,
 * `kind`, `pipeline`, `task`, `message`, `event` (the run event, if any), `data` and
 * `detail` (a stack trace) when present.
 */
export function jsonLine(r: LogRecord): string {
  const base = {
    time: new Date(r.at).toISOString(),
    level: r.level,
    kind: r.kind,
    pipeline: r.pipeline,
    task: r.task,
    message: r.message,
    event: r.event,
  };
  const extra = { data: r.data, detail: r.detail };
  try {
    return JSON.stringify({ ...base, ...extra }, safeReplacer);
  } catch {
    // Data that cannot be represented (a cycle) must not cost the line itself.
    return JSON.stringify(base);
  }
}
