import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PKG = fileURLToPath(new URL("../..", import.meta.url));
/** The built `lp` bin, run as users run it. */
export const LP = join(PKG, "dist", "cli.js");
/** tsx's command line, as a user would run `tsx main.ts`. */
export const TSX = createRequire(join(PKG, "..", "shell", "package.json")).resolve("tsx/cli");

/**
 * A project as a user writes one: several tasks in one `pipeline.ts`, a helper imported
 * through package.json `imports` (`#lib/rows`), another through a tsconfig `paths` alias
 * (`@helpers/shout`), and a `main.ts` that runs the pipeline. Each task's `run` appends the
 * task's name to `runs.log`, so a test can see exactly what ran.
 */
export const FILES: Record<string, string> = {
  "package.json": JSON.stringify({ name: "scratch", private: true, type: "module", imports: { "#lib/*": "./lib/*.ts" } }, null, 2),
  "tsconfig.json": JSON.stringify({ compilerOptions: { target: "es2022", module: "nodenext", strict: true, baseUrl: ".", paths: { "@helpers/*": ["helpers/*"] } } }, null, 2),
  "lib/rows.ts": `/** One CSV row as a record. */
export function parseRow(line: string): { key: string; value: number } {
  const [key, value] = line.split(",");
  return { key: key!, value: Number(value) };
}
`,
  "helpers/shout.ts": `export const shout = (s: string): string => s.toUpperCase() + "!";
`,
  "pipeline.ts": `import { appendFileSync } from "node:fs";
import { Pipeline, task } from "little-pipelines";
import { parseRow } from "#lib/rows";
import { shout } from "@helpers/shout";

const mark = (name: string) => appendFileSync(new URL("./runs.log", import.meta.url), name + "\\n");

export const load = task("Load", {
  description: "reads the rows",
  processes: {
    run() {
      mark("Load");
      return ["a,1", "b,2"];
    },
  },
});

export const parse = task("Parse", {
  dependencies: [load],
  processes: {
    async run() {
      mark("Parse");
      return (await this.result(load)).map(parseRow);
    },
  },
});

export const loud = task("Loud", {
  run() {
    mark("Loud");
    return shout("hello");
  },
});

export const plain = task("Plain", {
  processes: {
    base() {
      return 40;
    },
    run() {
      mark("Plain");
      return this.base() + 2;
    },
  },
});

export default new Pipeline("Scratch").add(load, parse, loud, plain);
`,
  "main.ts": `import pipeline from "./pipeline.js";

const summary = await pipeline.execute();
await pipeline.close();
process.exitCode = summary.totals.failed > 0 ? 1 : 0;
`,
};

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A scratch project on disk, and ways to run it and edit it. */
export class ScratchProject {
  readonly root: string;

  constructor(root = mkdtempSync(join(tmpdir(), "lp-scratch-")), files: Record<string, string> = FILES) {
    this.root = root;
    for (const [file, text] of Object.entries(files)) this.write(file, text);
    // The project depends on little-pipelines as an installed package would.
    mkdirSync(join(root, "node_modules"), { recursive: true });
    if (!existsSync(join(root, "node_modules", "little-pipelines"))) symlinkSync(PKG, join(root, "node_modules", "little-pipelines"), "dir");
  }

  /** A second project: the same files in another folder. */
  copy(): ScratchProject {
    const other = mkdtempSync(join(tmpdir(), "lp-scratch-"));
    cpSync(this.root, other, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.includes(".little_pipelines") && !src.endsWith("runs.log") });
    return new ScratchProject(other, {});
  }

  read(file: string): string {
    return readFileSync(join(this.root, file), "utf8");
  }

  write(file: string, text: string): void {
    mkdirSync(dirname(join(this.root, file)), { recursive: true });
    writeFileSync(join(this.root, file), text);
  }

  /** Replaces `from` (which must occur) with `to` in a file. */
  edit(file: string, from: string | RegExp, to: string): void {
    const text = this.read(file);
    const next = text.replace(from, to);
    if (next === text) throw new Error(`edit of ${file} changed nothing: ${String(from)} not found`);
    this.write(file, next);
  }

  /** Runs a command in a child process, from `cwd` (default: the project root), with no LP_HOME. */
  run(args: string[], cwd = this.root): Finished {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
    delete env.LP_HOME;
    delete env.FORCE_COLOR;
    delete env.LP_LOG_DIR;
    delete env.LOG_DIR;
    const r = spawnSync(process.execPath, args, { cwd, env, encoding: "utf8", timeout: 120_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  tsx(file: string, cwd?: string): Finished {
    return this.run([TSX, join(this.root, file)], cwd);
  }

  lp(command: string, file: string, cwd?: string): Finished {
    return this.run([LP, command, join(this.root, file)], cwd);
  }

  /** The tasks that ran since the last call, in the order they ran; clears the log. */
  ran(): string[] {
    const file = join(this.root, "runs.log");
    if (!existsSync(file)) return [];
    const names = readFileSync(file, "utf8").split("\n").filter(Boolean);
    rmSync(file);
    return names.sort();
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
