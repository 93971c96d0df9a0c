import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { PIPELINE_LOG } from "./file-sink.js";

/** Length of `YYYY-MM-DD HH:mm:ss.SSS | `, where a pretty pipeline-log line names its task. */
const STAMP_WIDTH = 26;

/** The pipeline log and its rotated files in `dir`, oldest first. */
function pipelineLogs(dir: string): string[] {
  const stem = PIPELINE_LOG.slice(0, -".log".length);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  // Rotation stamps sort by time; the live file is the newest.
  const rotated = names.filter((n) => n.startsWith(`${stem}~`) && n.endsWith(".log")).sort();
  return [...rotated, ...(names.includes(PIPELINE_LOG) ? [PIPELINE_LOG] : [])].map((n) => join(dir, n));
}

/**
 * One task's lines out of a pipeline's logs (`~pipeline.log` and its rotated files), in
 * order, with their extra lines (stack traces): the view `lp logs TASK` prints, for every
 * task, whether or not it has a file of its own.
 * @param format - the format the logs were written in
 * @throws the file system's error for a folder or file that cannot be read (a missing folder is no lines)
 */
export function taskLogLines(dir: string, task: string, format: "pretty" | "json"): string[] {
  const out: string[] = [];
  const tag = `${task} | `;
  for (const file of pipelineLogs(dir)) {
    let keep = false;
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (line === "") continue;
      if (format === "json") {
        try {
          if ((JSON.parse(line) as { task?: unknown }).task === task) out.push(line);
        } catch {
          // A line cut by a crash mid-write is not any task's.
        }
        continue;
      }
      // Extra lines are indented and belong to the line above them.
      if (line.startsWith(" ")) {
        if (keep) out.push(line);
        continue;
      }
      keep = line.startsWith(tag, STAMP_WIDTH);
      if (keep) out.push(line);
    }
  }
  return out;
}
