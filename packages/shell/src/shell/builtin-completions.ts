import { completeListOption } from "./complete.js";
import { quoteWord } from "./tokenize.js";

const LEVELS = ["debug", "perf", "info", "warn", "error", "silent"];

/** What built-in argument completion needs to know. */
export interface CompletionFacts {
  taskNames: readonly string[];
  commandNames: readonly string[];
}

/** Candidates for the arguments of a built-in command, or `undefined` when it takes none. */
export function builtinCompletions(command: string, args: readonly string[], partial: string, facts: CompletionFacts): string[] | undefined {
  const tasks = facts.taskNames.map(quoteWord);
  switch (command) {
    case "peek":
    case "info":
    case "logs":
      return args.length === 0 ? tasks : [];
    case "execute-one":
      return [...(args.some((a) => !a.startsWith("-")) ? [] : tasks), "--no-deps", "--force"];
    case "clear-cache":
      return args.includes(".") ? ["--hard"] : [".", ...tasks];
    case "execute":
      return [
        "--force",
        "--skip=",
        "--force-task=",
        "--concurrency=",
        ...completeListOption(partial, "skip", facts.taskNames),
        ...completeListOption(partial, "force-task", facts.taskNames),
      ];
    case "list-cache":
      return ["--all"];
    case "log":
      return args.length === 0 ? LEVELS : [];
    case "graph":
      return ["--format=tree", "--format=mermaid", "--format=dot", "--direction=LR", "--direction=TD"];
    case "help":
      return args.length === 0 ? [...facts.commandNames] : [];
    default:
      return undefined;
  }
}
