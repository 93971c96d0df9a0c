/** Prefix of methods that implement commands: `cmdListTasks` is the command `list-tasks`. */
export const COMMAND_PREFIX = "cmd";
/** Prefix of methods that return a command's help: `helpListTasks()`. */
export const HELP_PREFIX = "help";
/** Prefix of methods that complete a command's arguments: `completeListTasks(args, partial)`. */
export const COMPLETE_PREFIX = "complete";

/** `ListTasks` or `listTasks` → `list-tasks`; `HTTPGet` → `http-get`. */
function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

/**
 * The command a method implements, or `undefined` when it is not a command method.
 * @example commandOfMethod("cmdExecuteOne") // "execute-one"
 */
export function commandOfMethod(method: string): string | undefined {
  const rest = method.slice(COMMAND_PREFIX.length);
  if (!method.startsWith(COMMAND_PREFIX) || !/^[A-Z0-9]/.test(rest)) return undefined;
  return kebab(rest);
}

/**
 * A typed command in its canonical form, so `execute_one`, `Execute-One` and `executeOne`
 * all mean `execute-one`.
 */
export function normalizeCommand(typed: string): string {
  return kebab(typed).replace(/_/g, "-");
}

/** The method name for a command under a prefix: (`help`, `execute-one`) → `helpExecuteOne`. */
export function methodOf(prefix: string, command: string): string {
  return prefix + command.split("-").map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("");
}

/** Every command an object implements, by walking its prototype chain for `cmd…` methods. */
export function discoverCommands(target: object): string[] {
  const found = new Set<string>();
  for (let proto: object | null = target; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const command = commandOfMethod(key);
      if (command && typeof (target as Record<string, unknown>)[key] === "function") found.add(command);
    }
  }
  return [...found].sort();
}
