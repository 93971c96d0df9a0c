/** Help of `lp` and of each of its commands. */
export const USAGE = {
  main: `Usage: lp <command> <pipeline file> [options]

Commands:
  run <file>      Run the pipeline; tasks with fresh results are skipped
  status <file>   Say what a run would do for each task, and why
  shell <file>    Open the interactive shell
  graph <file>    Draw the task graph: a tree, or Mermaid or Graphviz DOT source
  cache ls|clear|prune|verify <file>
                  List, clear, prune or verify stored results

Options:
  -h, --help      Show help (also after a command: lp run --help)
  -v, --version   Show the version

The pipeline file is JavaScript (.js .mjs .cjs) or TypeScript (.ts .mts .cts, no build
step needed) and exports a pipeline: export default pipeline, export const pipeline,
or a default function returning one.

Exit codes: 0 all tasks succeeded or were cached, 1 a task failed, 2 bad usage,
130 the run was interrupted.`,
  run: `Usage: lp run <file> [--force] [--skip A,B] [--force-task C] [--only T [--no-deps]] [--concurrency N] [--threads [N]] [--report FILE] [--quiet]

  --force           Rerun every task, ignoring stored results
  --skip A,B        Leave these tasks out; their stored results are used as they are
  --force-task C    Rerun these tasks even when their results are fresh (repeatable, or A,B)
  --only T          Run task T and whatever upstream tasks it needs
  --no-deps         With --only: run T alone, on the stored upstream results
  --concurrency N   Run at most N tasks at once
  --threads [N]     Run tasks on N worker threads (default: one per core), for CPU-bound work
  --report FILE     Write an HTML report of the run (graph, timeline, cache facts) to FILE
  --quiet           Print nothing but the closing summary`,
  graph: `Usage: lp graph <file> [--format tree|mermaid|dot] [--direction LR|TD]

  Draw the task graph with each task's state (cached, not cached, outdated).
  --format      tree for the terminal (the default), mermaid or dot for documents
  --direction   For mermaid and dot: LR (left to right, the default) or TD (top down)`,
  status: "Usage: lp status <file>\n\n  Say what a run would do for each task, and why, without running anything.",
  shell: "Usage: lp shell <file> [--history FILE]\n\n  Open the interactive shell. --history keeps command history in FILE between sessions.",
  cache: `Usage: lp cache ls <file> [--all]
       lp cache clear <file> [--task T]... [--hard]
       lp cache prune <file>
       lp cache verify <file>

  ls      List the stored results of the pipeline's tasks (--all: every entry in the store)
  clear   Clear all but never-expiring results; --task clears only those tasks, --hard everything
  prune   Remove what is no longer worth keeping: results past their expiry (or whose session
          ended), results whose stored body is missing or fails its checksum, temporary files
          left by crashed runs, and journal records nothing needs. Bodies no result refers to
          any more are removed only when no other process has the cache open. Unexpired
          results are never removed; prune is safe while other runs are going on.
  verify  Read every result a run would use as cached, check it against its digest, and run
          again the tasks whose result fails (exit codes as for run)`,
} as const;
