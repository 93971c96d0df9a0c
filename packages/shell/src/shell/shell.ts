import type { Interface } from "node:readline";
import type { ExecuteOptions, Executor, Pipeline, RunSummary } from "@lp/core";
import { closestName, errorMessage } from "@lp/core/internal";
import { UnknownCommandError, UsageError } from "../errors.js";
import { colors, wantsColor, type Colors } from "../format/colors.js";
import { VERSION } from "../version.js";
import { helpForCommand, helpOverview } from "../actions/help.js";
import * as logging from "../actions/logging.js";
import { validate } from "../actions/validate.js";
import type { CommandContext } from "./context.js";
import { BUILTIN_HELP } from "./help-texts.js";
import { LevelControl } from "./levels.js";
import { COMMAND_PREFIX, COMPLETE_PREFIX, HELP_PREFIX, discoverCommands, methodOf, normalizeCommand } from "./names.js";
import { quoteWord, tokenize } from "./tokenize.js";

type OnDemand = typeof import("./on-demand.js");
let onDemand: Promise<OnDemand> | undefined;
/** The line editor and the asynchronous commands, loaded when a shell first needs them. */
const loadOnDemand = (): Promise<OnDemand> => (onDemand ??= import("./on-demand.js"));

/** Options of `new Shell()`. */
export interface ShellOptions {
  /** Where commands are read from. @default process.stdin */
  input?: NodeJS.ReadableStream;
  /** Where everything is printed. @default process.stdout */
  output?: NodeJS.WritableStream;
  /** Line editing, completion and Ctrl-C handling of a terminal. @default true when input and output are terminals */
  terminal?: boolean;
  /** Colour output. @default on for a terminal, off when `NO_COLOR` is set */
  color?: boolean;
  /** A file to keep command history in between sessions; none by default. */
  historyFile?: string;
  /** Lines of history kept. @default 500 */
  historySize?: number;
  /**
   * Runs the shell's executions on this executor (e.g. `bullmqExecutor()` for workers on
   * other machines); the shell does not close it.
   * @default the pipeline's own
   */
  executor?: Executor;
}

/** A command method: receives the words after the command name and the raw rest of the line. */
export type CommandMethod = (args: string[], rest: string) => unknown;

/**
 * An interactive shell for one pipeline: list tasks and their state, peek at results,
 * run the pipeline or one task, clear the cache, with tab completion and history.
 *
 * **Extending it.** A subclass adds a command by defining a method named `cmd` + the
 * command in PascalCase: `cmdHello(args)` is the command `hello`, `cmdSendReport` is
 * `send-report` (also typed `send_report`). Optional companions follow the same rule:
 * `helpHello()` returns its help (first line = summary) and `completeHello(args, partial)`
 * returns completion candidates. `startup()` and `shutdown()` may be overridden; if one
 * throws, the default banner or closing is shown with the error. `title`, `header`,
 * `prompt` and `poweredBy` are plain settable properties.
 *
 * Ctrl-C cancels a running execution (completed results are kept) and otherwise clears
 * the line; Ctrl-D or `exit` leaves.
 *
 * @example
 * class MyShell extends Shell {
 *   cmdHello(args: string[]) {
 *     this.print(`Hello, ${args[0] ?? "world"}!`);
 *   }
 *   helpHello() {
 *     return "Say hello.";
 *   }
 * }
 * await new MyShell(pipeline).start();
 */
export class Shell {
  /** The pipeline this shell drives. */
  readonly pipeline: Pipeline;
  /** First line of the banner. @default the pipeline's name */
  title: string;
  /** Second line of the banner. @default the pipeline's description and task count */
  header: string;
  /** Shown before each command. @default `<pipeline name>> ` */
  prompt: string;
  /** The banner's "powered by" line; set to "" to leave it out. */
  poweredBy = `powered by little-pipelines ${VERSION}`;
  /** Other names for commands: typed name → command. */
  protected readonly aliases: Record<string, string> = { quit: "exit", q: "exit", "?": "help", executeone: "execute-one" };

  readonly #input: NodeJS.ReadableStream;
  readonly #output: NodeJS.WritableStream;
  readonly #terminal: boolean;
  readonly #colors: Colors;
  readonly #options: ShellOptions;
  readonly #levels: LevelControl;
  #rl: Interface | undefined;
  #queue: Promise<void> = Promise.resolve();
  #running = false;
  #stopping = false;
  #closed = false;
  #execution: AbortController | undefined;

  /**
   * @param pipeline - the pipeline to drive
   * @throws UsageError when `pipeline` is not a pipeline
   */
  constructor(pipeline: Pipeline, options: ShellOptions = {}) {
    if (!pipeline || typeof (pipeline as { execute?: unknown }).execute !== "function") {
      throw new UsageError("new Shell()", "expected a Pipeline as the first argument.");
    }
    this.pipeline = pipeline;
    this.#options = options;
    this.#input = options.input ?? process.stdin;
    this.#output = options.output ?? process.stdout;
    this.#terminal = options.terminal ?? (isTTY(this.#input) && isTTY(this.#output));
    this.#colors = colors(options.color ?? wantsColor(this.#output));
    this.#levels = new LevelControl(pipeline);
    const count = `${pipeline.ntasks} task${pipeline.ntasks === 1 ? "" : "s"}`;
    this.title = pipeline.name;
    this.header = pipeline.description ? `${pipeline.description} (${count})` : count;
    this.prompt = `${pipeline.name}> `;
  }

  /** Colour functions for output (no-ops when colour is off). */
  get colors(): Colors {
    return this.#colors;
  }

  /** Writes a line (or several) to the shell's output. */
  print(text = ""): void {
    this.#output.write(`${text}\n`);
  }

  /** Prints an error as one clear message; the shell goes on. */
  printError(error: unknown, context?: string): void {
    const code = (error as { code?: unknown } | undefined)?.code;
    const known = typeof code === "string" && code.startsWith("LP_");
    const name = !known && error instanceof Error && error.name !== "Error" ? `${error.name}: ` : "";
    this.print(this.#colors.red(`Error${context ? ` in ${context}` : ""}: ${name}${errorMessage(error)}`));
  }

  /** Banner shown when the shell starts. Override to show your own. */
  startup(): void | Promise<void> {
    const c = this.#colors;
    this.print(c.bold(this.title));
    if (this.header) this.print(this.header);
    if (this.poweredBy) this.print(c.dim(this.poweredBy));
    this.print(c.dim('Type "help" for the commands, "exit" or Ctrl-D to leave.'));
  }

  /** Closing shown when the shell ends. Override to show your own. */
  shutdown(): void | Promise<void> {
    this.print("Bye.");
  }

  /**
   * Runs the shell until `exit`, Ctrl-D or the end of the input. Resolves when it has
   * shut down.
   * @throws UsageError when this shell is already running
   */
  async start(): Promise<void> {
    if (this.#running) throw new UsageError("start()", "this shell is already running.");
    this.#running = true;
    this.#stopping = false;
    this.#closed = false;
    const loaded = await loadOnDemand().catch((error: unknown) => {
      this.#running = false;
      throw error;
    });
    await this.#guarded("startup", () => this.startup(), () => Shell.prototype.startup.call(this));
    const { createInterface, completeLine, loadHistory, saveHistory } = loaded;
    const historySize = this.#options.historySize ?? 500;
    const rl = createInterface({
      input: this.#input,
      output: this.#output,
      terminal: this.#terminal,
      prompt: this.prompt,
      completer: (line: string) => completeLine(line, this.#completionSource(loaded)),
      history: loadHistory(this.#options.historyFile, historySize),
      historySize,
      removeHistoryDuplicates: true,
    });
    this.#rl = rl;
    rl.on("history", (history: string[]) => saveHistory(this.#options.historyFile, history));
    const onSignal = () => this.#interrupt(false);
    process.on("SIGINT", onSignal);
    try {
      await new Promise<void>((resolve) => {
        rl.on("line", (line) => {
          // One command at a time, in order; a failure to print must not stop the ones after.
          this.#queue = this.#queue.then(() => this.#onLine(line)).catch(() => undefined);
        });
        rl.on("SIGINT", () => this.#interrupt(true));
        rl.on("close", () => {
          if (this.#terminal && !this.#stopping) this.#output.write("\n");
          this.#closed = true;
          void this.#queue.then(resolve);
        });
        rl.prompt();
      });
    } finally {
      process.off("SIGINT", onSignal);
      this.#rl = undefined;
      this.#running = false;
    }
    await this.#guarded("shutdown", () => this.shutdown(), () => Shell.prototype.shutdown.call(this));
  }

  /** Ends the shell after the current command; `start()` then resolves. */
  stop(): void {
    this.#stopping = true;
    this.#rl?.close();
  }

  /**
   * Runs one command line as if typed. Errors are printed, not thrown.
   * @returns whether the command succeeded
   */
  async runCommand(line: string): Promise<boolean> {
    const text = line.trim();
    if (text === "" || text.startsWith("#")) return true;
    try {
      const [typed, ...args] = tokenize(text);
      const command = this.#resolve(typed!);
      const method = (this as unknown as Record<string, CommandMethod>)[methodOf(COMMAND_PREFIX, command)]!;
      await method.call(this, args, text.replace(/^\S+\s*/, ""));
      return true;
    } catch (error) {
      this.printError(error);
      return false;
    }
  }

  /** Every command this shell has, canonical names, sorted (aliases not included). */
  commandNames(): string[] {
    return discoverCommands(this);
  }

  /** The pipeline's task names, in run order (for completion). */
  taskNames(): string[] {
    try {
      return this.pipeline.tasks.map((t) => t.name);
    } catch {
      return [];
    }
  }

  /** A command's help text (first line = summary), or `undefined` when it has none. */
  describeCommand(command: string): string | undefined {
    const own = (this as unknown as Record<string, unknown>)[methodOf(HELP_PREFIX, command)];
    if (typeof own === "function") return String(own.call(this));
    const builtin = BUILTIN_HELP[command];
    return builtin ? `${builtin.text}\nUsage: ${builtin.usage}` : undefined;
  }

  // ── Built-in commands ────────────────────────────────────────────────

  /** `list-tasks`: every task with its state. */
  async cmdListTasks(): Promise<void> {
    return (await loadOnDemand()).tasks.listTasks(this.#context());
  }

  /** `peek <task>`: the stored result, pretty-printed and truncated. */
  async cmdPeek(args: string[]): Promise<void> {
    return (await loadOnDemand()).tasks.peek(this.#context(), args);
  }

  /** `info <task>`: what a task is and how it last ran. */
  async cmdInfo(args: string[]): Promise<void> {
    return (await loadOnDemand()).tasks.info(this.#context(), args);
  }

  /** `list-cache [--all]`: the stored results. */
  async cmdListCache(args: string[]): Promise<void> {
    return (await loadOnDemand()).cache.listCacheCommand(this.#context(), args);
  }

  /** `clear-cache <task>... | . [--hard]`: delete stored results. */
  async cmdClearCache(args: string[]): Promise<void> {
    return (await loadOnDemand()).cache.clearCacheCommand(this.#context(), args);
  }

  /** `execute [--force] [--skip=A,B] [--force-task=C]`: run the pipeline. */
  async cmdExecute(args: string[]): Promise<void> {
    return (await loadOnDemand()).run.execute(this.#context(), args);
  }

  /** `execute-one <task> [--no-deps]`: run one task and what it needs. */
  async cmdExecuteOne(args: string[]): Promise<void> {
    return (await loadOnDemand()).run.executeOne(this.#context(), args);
  }

  /** `status`: what a run would do, and why. */
  async cmdStatus(): Promise<void> {
    return (await loadOnDemand()).tasks.status(this.#context());
  }

  /** `validate`: the pipeline's problems, if any. */
  cmdValidate(): void {
    validate(this.#context());
  }

  /** `graph [--format=tree|mermaid|dot]`: the task graph with each task's state. */
  async cmdGraph(args: string[]): Promise<void> {
    return (await loadOnDemand()).graphs.graph(this.#context(), args);
  }

  /** `log [LEVEL]`: how much runs print. */
  cmdLog(args: string[]): void {
    logging.log(this.#context(), args);
  }

  /** `logs <task>`: a task's logged lines from earlier runs. */
  cmdLogs(args: string[]): void {
    logging.logs(this.#context(), args);
  }

  /** `quiet`: runs print nothing. */
  cmdQuiet(args: string[]): void {
    logging.quiet(this.#context(), args);
  }

  /** `help [command]`: the commands, or one explained. */
  cmdHelp(args: string[]): void {
    const source = { commands: this.commandNames(), aliases: this.aliases, describe: (c: string) => this.describeCommand(c), c: this.#colors };
    if (args.length > 1) throw new UsageError("help", "give one command.", "help [command]");
    this.print(args[0] === undefined ? helpOverview(source) : helpForCommand(source, this.#resolve(args[0])));
  }

  /** `exit` (also `quit`, `q`): leave the shell. */
  cmdExit(): void {
    this.stop();
  }

  // ── Internals ────────────────────────────────────────────────────────

  #context(): CommandContext {
    return {
      pipeline: this.pipeline,
      c: this.#colors,
      levels: this.#levels,
      print: (text) => this.print(text),
      execute: (options) => this.#execute(options),
    };
  }

  /** Runs the pipeline with its own abort signal, so Ctrl-C stops the run and not the shell. */
  async #execute(options: ExecuteOptions): Promise<RunSummary> {
    const controller = new AbortController();
    this.#execution = controller;
    try {
      const executor = this.#options.executor;
      return await this.pipeline.execute({ ...options, ...(executor ? { executor } : {}), signal: controller.signal, handleSigint: false });
    } finally {
      this.#execution = undefined;
    }
  }

  /** A typed command name → the canonical command, through aliases. */
  #resolve(typed: string): string {
    const known = this.commandNames();
    for (let name = normalizeCommand(typed), hops = 0; hops < 5; hops++) {
      if (known.includes(name)) return name;
      const target = this.aliases[name] ?? this.aliases[typed];
      if (target === undefined) break;
      name = normalizeCommand(target);
    }
    throw new UnknownCommandError(typed, closestName(normalizeCommand(typed), [...known, ...Object.keys(this.aliases)]));
  }

  async #onLine(line: string): Promise<void> {
    if (this.#stopping) return;
    await this.runCommand(line);
    if (this.#stopping) return;
    // After the end of the input, lines still queued are run as well; the prompt keeps
    // separating their output, so what the shell prints does not depend on timing.
    if (this.#closed || !this.#rl) {
      this.#output.write(this.prompt);
      return;
    }
    this.#rl.setPrompt(this.prompt);
    this.#rl.prompt();
  }

  /** Asks the pipeline's logger to erase its live line; false when it has none. */
  #clearLive(): boolean {
    try {
      return this.pipeline.logger.clearLive?.() === true;
    } catch {
      return false;
    }
  }

  /** Ctrl-C: cancel the running execution; otherwise clear the line (terminal) or leave (a signal). */
  #interrupt(fromTerminal: boolean): void {
    const execution = this.#execution;
    if (execution) {
      if (execution.signal.aborted) {
        this.#clearLive();
        this.print(this.#colors.yellow("Still stopping: waiting for running tasks to finish."));
      } else {
        // The progress line is erased first, or it would stay on screen above this message.
        const erased = this.#clearLive();
        this.print(this.#colors.yellow(`${erased ? "" : "\n"}Cancelling the run; results of the tasks that completed are kept.`));
        execution.abort();
      }
      return;
    }
    const rl = this.#rl;
    if (!fromTerminal || !rl) {
      this.stop();
      return;
    }
    const hadText = rl.line.length > 0;
    rl.write("", { ctrl: true, name: "e" });
    rl.write("", { ctrl: true, name: "u" });
    if (!hadText) {
      this.#output.write("\n");
      this.print(this.#colors.dim('(To leave, type "exit" or press Ctrl-D.)'));
      rl.prompt();
    }
  }

  #completionSource({ builtinCompletions }: OnDemand) {
    return {
      commandNames: () => [...this.commandNames(), ...Object.keys(this.aliases)],
      completeArgs: (command: string, args: readonly string[], partial: string): string[] => {
        let resolved: string;
        try {
          resolved = this.#resolve(command);
        } catch {
          return [];
        }
        const own = (this as unknown as Record<string, unknown>)[methodOf(COMPLETE_PREFIX, resolved)];
        if (typeof own === "function") return (own.call(this, [...args], partial) as string[]).map(quoteWord);
        return builtinCompletions(resolved, args, partial, { taskNames: this.taskNames(), commandNames: this.commandNames() }) ?? [];
      },
    };
  }

  /** Runs an overridable hook; when it throws, runs the default and shows the error. */
  async #guarded(hook: string, custom: () => void | Promise<void>, fallback: () => void | Promise<void>): Promise<void> {
    try {
      await custom();
    } catch (error) {
      try {
        await fallback();
      } catch {
        // The default hook only prints; nothing more to do if even that fails.
      }
      this.printError(error, `${hook}()`);
    }
  }
}

function isTTY(stream: unknown): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}
