import { UsageError } from "../../errors.js";
import { loadDistributed } from "../distributed.js";
import { type CliIO, EXIT, line } from "../io.js";
import { loadForCommand } from "../load.js";

/** Options of `lp worker`, as parsed. */
export interface WorkerFlags {
  redis?: string;
  concurrency?: string;
  name?: string;
  /** From `--threads [N]`: a thread count, or true for one per core. */
  threads?: number | true;
}

/**
 * `lp worker [file] --redis URL`: runs the pipeline's task attempts that coordinators
 * (`lp run [file] --redis URL`) enqueue, until Ctrl-C or SIGTERM, which let running
 * attempts finish first.
 */
export async function workerCommand(file: string | undefined, flags: WorkerFlags, io: CliIO, stop: () => Promise<unknown> = ctrlC): Promise<number> {
  if (flags.redis === undefined) throw new UsageError("lp worker", 'missing --redis URL (e.g. --redis redis://127.0.0.1:6379). Run "lp worker --help" for usage.');
  let concurrency: number | undefined;
  if (flags.concurrency !== undefined) {
    concurrency = Number(flags.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError("lp worker", `--concurrency must be a whole number from 1 up, got "${flags.concurrency}".`);
  }
  const { startWorker } = await loadDistributed("lp worker");
  const pipeline = await loadForCommand(file, io, false);
  const worker = await startWorker(pipeline, {
    url: flags.redis,
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    onAttempt: (event) => line(io.stdout, `${event.type.padEnd(7)} ${event.task} (attempt ${event.attempt})${event.error ? `: ${event.error.message}` : ""}`),
  });
  line(io.stdout, `Worker ${worker.name} is taking "${pipeline.name}" tasks from ${flags.redis.replace(/\/\/[^@/]*@/, "//***@")}. Ctrl-C stops it.`);
  await stop();
  line(io.stdout, "Stopping: running tasks finish first.");
  await worker.close();
  await pipeline.close();
  return EXIT.ok;
}

function ctrlC(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}
