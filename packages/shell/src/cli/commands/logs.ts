import { EXIT, line, type CliIO } from "../io.js";
import { loadForCommand } from "../load.js";

/**
 * `lp logs <task> [file]`: a task's lines from the pipeline's log files, oldest first,
 * whether or not the task has a log file of its own. Exits 1 when the pipeline's logger
 * keeps no files.
 */
export async function logsCommand(task: string, file: string | undefined, io: CliIO): Promise<number> {
  const pipeline = await loadForCommand(file, io, true);
  try {
    const lines = pipeline.taskLog(task);
    if (lines === undefined) {
      line(io.stderr, `lp logs: pipeline ${pipeline.name} keeps no log files (its logger writes none); use @lp/logging's createLogger() for file logs.`);
      return EXIT.failed;
    }
    if (lines.length === 0) line(io.stderr, `lp logs: ${task} has no logged lines yet (it has not run since file logs began).`);
    for (const l of lines) line(io.stdout, l);
    return EXIT.ok;
  } finally {
    await pipeline.close();
  }
}
