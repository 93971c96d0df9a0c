import type { RunEvent } from "@lp/core";
import { COMPLETE, type EventLine, type EventStyle, STARTING, STOPPED, eventLines } from "@lp/core/internal";
import type { LogRecord } from "./record.js";

// The left-column labels and the text of every run event are core's, shared with its plain logger.
export { COMPLETE, STARTING, STOPPED };
export type { EventStyle };

/**
 * The lines a run event is shown as, in the seed's shape: `TaskTwo : DONE : (in 0:02.50)`.
 * @param pipeline - the running pipeline, so task lines can go to its log folder
 * @param style - how much to show
 */
export function eventRecords(e: RunEvent, pipeline: string | undefined, style: EventStyle = { processTimings: false }): LogRecord[] {
  // The lines are new for this event: completed in place rather than copied (two per task).
  const records = eventLines(e, style) as (EventLine & Partial<LogRecord>)[];
  for (const r of records) {
    r.at = e.at;
    r.pipeline = pipeline;
    r.event = e.type;
  }
  return records as LogRecord[];
}
