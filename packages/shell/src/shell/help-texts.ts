/** Usage line and explanation of a built-in command; the first line of `text` is its summary. */
export interface CommandHelp {
  usage: string;
  text: string;
}

/** Help of the built-in commands, by canonical name. */
export const BUILTIN_HELP: Readonly<Record<string, CommandHelp>> = {
  "list-tasks": {
    usage: "list-tasks",
    text: "List every task with its state: cached, not cached, expired or outdated.\nOutdated means a result is stored but its code, inputs or upstream results changed.",
  },
  peek: {
    usage: "peek <task>",
    text: "Print a task's stored result; `peek Clean[3]` prints branch 3 of a mapped task.\nBig values are cut short: long arrays, long strings, deep nesting and long output are truncated.",
  },
  info: {
    usage: "info <task>",
    text: "Describe a task: description, dependencies, expiry, input files, stored result and last timing.",
  },
  "list-cache": {
    usage: "list-cache [--all]",
    text: "List the stored results of this pipeline's tasks.\n--all also lists entries in the store that no task of this pipeline owns.",
  },
  "clear-cache": {
    usage: "clear-cache <task>... | . [--hard]",
    text: "Delete stored results.\nWith task names, delete theirs (a mapped task's branches too); `Clean[3]` deletes one branch, which then runs again. With \".\", delete all but the never-expiring ones; add --hard to delete those too.",
  },
  execute: {
    usage: "execute [--force] [--skip=A,B] [--force-task=C] [--concurrency=N]",
    text: "Run the pipeline: tasks with fresh results are skipped, the others run in dependency order.\n--force reruns everything, --force-task reruns the tasks named, --skip leaves tasks out (their stored results are used).\nCtrl-C cancels the run; results of tasks that completed are kept.",
  },
  "execute-one": {
    usage: "execute-one <task> [--no-deps] [--force]",
    text: "Run one task, and first whatever upstream tasks it needs.\n--no-deps runs it alone on the stored upstream results; --force reruns it even when its result is fresh.",
  },
  status: {
    usage: "status",
    text: "Say what a run would do for each task, and why, without running anything.",
  },
  validate: {
    usage: "validate",
    text: "Check the pipeline for unknown dependencies, cycles, duplicate names and tasks without a run process.",
  },
  log: {
    usage: "log [LEVEL]",
    text: "Set how much a run prints: debug, perf (process timings), info, warn, error or silent. Without a level, show the current one.",
  },
  logs: {
    usage: "logs <task>",
    text: "Print a task's logged lines from earlier runs, oldest first, from the pipeline's log files.",
  },
  quiet: {
    usage: "quiet",
    text: "Silence a run's output (same as log silent). Use log info to bring it back.",
  },
  graph: {
    usage: "graph [--format=tree|mermaid|dot] [--direction=LR|TD]",
    text: "Show the task graph: a tree with each task's state, or Mermaid or Graphviz DOT source.\nA task's state is its outcome in the last run in this shell, or else that of its stored result.",
  },
  help: {
    usage: "help [command]",
    text: "List the commands, or explain one.",
  },
  exit: {
    usage: "exit",
    text: "Leave the shell (Ctrl-D does too).",
  },
};
