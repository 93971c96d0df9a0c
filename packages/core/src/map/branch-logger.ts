import type { TaskLogger } from "../contracts/logger.js";

const TAGGED = new Set(["trace", "debug", "info", "success", "warn", "warning", "error", "critical", "perf"]);

/**
 * The task's logger for one branch: every line it writes starts with the branch's label
 * (`Lengths[2]: …`), so the branches' lines in the task's log and the pipeline's can be told apart.
 */
export function branchLogger(logger: TaskLogger, label: string): TaskLogger {
  const tag = (message: unknown) => (typeof message === "string" ? `${label}: ${message}` : message);
  return new Proxy(logger, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (property === "log")
        return (level: string, message: string, ...args: unknown[]) => target.log(level, tag(message) as string, ...args);
      if (typeof property === "string" && TAGGED.has(property)) {
        return (message: unknown, ...args: unknown[]) => (value as (...a: unknown[]) => void).call(target, tag(message), ...args);
      }
      return value.bind(target);
    },
  });
}
