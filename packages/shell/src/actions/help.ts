import type { Colors } from "../format/colors.js";

/** What `help` needs to know about the shell's commands. */
export interface HelpSource {
  /** Canonical command names, sorted. */
  commands: readonly string[];
  /** Typed name → command. */
  aliases: Readonly<Record<string, string>>;
  /** A command's help text; its first line is the summary. */
  describe(command: string): string | undefined;
  c: Colors;
}

function aliasesOf(source: HelpSource, command: string): string[] {
  return Object.entries(source.aliases)
    .filter(([, to]) => to === command)
    .map(([from]) => from);
}

/** One command explained: its name, other names, and full help text. */
export function helpForCommand(source: HelpSource, command: string): string {
  const { c } = source;
  const others = aliasesOf(source, command);
  const head = `${c.bold(command)}${others.length > 0 ? c.dim(` (also ${others.join(", ")})`) : ""}`;
  return `${head}\n${source.describe(command) ?? "No help for this command."}`;
}

/** Every command with its other names and one-line summary. */
export function helpOverview(source: HelpSource): string {
  const { c } = source;
  const rows = source.commands.map((name) => {
    const others = aliasesOf(source, name);
    return [others.length > 0 ? `${name}, ${others.join(", ")}` : name, (source.describe(name) ?? "").split("\n")[0] ?? ""] as const;
  });
  const width = Math.max(0, ...rows.map(([label]) => label.length));
  const lines = rows.map(([label, summary]) => `  ${c.bold(label.padEnd(width))}  ${summary}`.trimEnd());
  const tail = c.dim('Type "help <command>" for more. Dashes and underscores are the same: list_tasks = list-tasks.');
  return ["Commands:", ...lines, tail].join("\n");
}
