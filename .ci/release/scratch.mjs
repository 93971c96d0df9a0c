// Installs the tarballs into a fresh npm project outside the workspace (plain npm, no pnpm)
// and uses them as a user would: the README quick start type-checked under nodenext, bundler
// and node10 and then run, `npx lp run` on JavaScript and TypeScript pipeline files, and
// require() from CommonJS.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { exec, execOk } from "./exec.mjs";

const FIXTURES = new URL("./scratch/", import.meta.url).pathname;

/** The first ```ts block after the "## Quick start" heading, and the ```text block after it. */
export function quickStart(readme) {
  const section = readme.slice(readme.indexOf("## Quick start"));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  const output = /```text\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code || !output) throw new Error("the README has no Quick start section with a ```ts block and a ```text block");
  return { code, output: output.trim().split("\n") };
}

/** Durations vary from run to run; README output blocks are compared without them. */
const withoutTimes = (line) => line.replace(/\d+:\d{2}\.\d{2}/g, "m:ss.cc").trimEnd();

/** The lines of `expected` that `stdout` lacks, durations aside. */
function missingLines(expected, stdout) {
  const seen = new Set(stdout.split("\n").map(withoutTimes));
  return expected.filter((line) => !seen.has(withoutTimes(line)));
}

/**
 * Each package README's "## Example": its first ```ts block and, when one follows in the
 * same section, the ```text block of what it prints.
 */
export function readmeExamples(packed) {
  const examples = [];
  for (const pkg of packed) {
    const readme = readFileSync(join(pkg.dir, "README.md"), "utf8");
    const at = readme.indexOf("\n## Example\n");
    if (at < 0) continue;
    const next = readme.indexOf("\n## ", at + 1);
    const section = readme.slice(at, next < 0 ? undefined : next);
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    const output = /```text\n([\s\S]*?)```/.exec(section)?.[1];
    if (code) examples.push({ name: pkg.name, file: `readme-${basename(pkg.dir)}`, code, output: output ? output.trim().split("\n") : [] });
  }
  return examples;
}

/** A fresh npm project in the temp folder with every tarball installed. */
export async function install(root, packed) {
  const dir = mkdtempSync(join(tmpdir(), "lp-release-"));
  cpSync(FIXTURES, dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "release-check", private: true, type: "module" }, null, 2)}\n`);
  const version = (name) => JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).version;
  // The workspace's TypeScript and Node types, so the check sees what the build saw.
  const tools = [`typescript@${version("typescript")}`, `@types/node@${version("@types/node")}`];
  await execOk("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...packed.map((p) => p.tarball), ...tools], { cwd: dir });
  return dir;
}

/**
 * The checks as phases: the checks of one phase are independent and run side by side, a
 * phase runs after the one before it. A check is `{ name, run }` and throws to fail.
 */
export function scratchChecks(root, dir, packed) {
  const env = { LP_HOME: join(dir, "home") };
  const tsc = (config) => execOk("node", [join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", config], { cwd: dir });
  const { code, output } = quickStart(readFileSync(join(root, "packages", "little-pipelines", "README.md"), "utf8"));
  writeFileSync(join(dir, "totals.ts"), code);
  mkdirSync(join(dir, "data"), { recursive: true });
  writeFileSync(join(dir, "data", "numbers.csv"), "1\n2\n3\n");
  const lp = (args) => exec("npx", ["--no-install", "lp", ...args], { cwd: dir, env });
  const expectRun = async (file, closing) => {
    const result = await lp(["run", file]);
    if (result.code !== 0 || !result.stdout.includes(closing)) {
      throw new Error(`npx lp run ${file} exited ${result.code}\n${(result.stdout + result.stderr).trim()}`);
    }
  };

  const readmes = readmeChecks(dir, tsc, packed);
  return [
    [
      { name: "README quick start type-checks under nodenext", run: () => tsc("tsconfig.nodenext.json") },
      { name: "README quick start type-checks under bundler", run: () => tsc("tsconfig.bundler.json") },
      { name: "every package's types check under node10 without esModuleInterop", run: () => tsc("tsconfig.node10.json") },
      readmes.typecheck,
      {
        name: "every installed package has a README, the LICENSE, and a CHANGELOG entry for its version",
        run: () => packageFiles(root, dir, packed),
      },
      { name: "npx lp run on a JavaScript pipeline file", run: () => expectRun("pipeline.mjs", "Pipeline complete! Ran 2/2 tasks in") },
      {
        name: "npx lp run on a TypeScript file without tsx says how to get it",
        async run() {
          const result = await lp(["run", "pipeline.ts"]);
          if (result.code !== 2 || !result.stderr.includes("npm install --save-dev tsx")) {
            throw new Error(`exited ${result.code}\n${(result.stdout + result.stderr).trim()}`);
          }
        },
      },
      {
        name: "require() of every package from CommonJS",
        async run() {
          const result = await execOk("node", ["require.cjs"], { cwd: dir, env });
          if (!result.stdout.includes("require: 42")) throw new Error(result.stdout + result.stderr);
        },
      },
    ],
    [
      {
        name: "README quick start runs and prints what the README says",
        async run() {
          const result = await execOk("node", ["out/totals.js"], { cwd: dir, env });
          const missing = missingLines(output, result.stdout);
          if (missing.length > 0) throw new Error(`missing from its output: ${missing.join(" | ")}\n${result.stdout}${result.stderr}`);
        },
      },
      ...readmes.runs,
      { name: "npx lp run again finds every result cached", run: () => expectRun("pipeline.mjs", "Pipeline complete! Ran 0/2 tasks in") },
    ],
  ];
}

/** Each package's README, the repository's LICENSE, and a CHANGELOG entry for the version. */
function packageFiles(root, dir, packed) {
  const license = readFileSync(join(root, "LICENSE"), "utf8");
  const problems = [];
  for (const pkg of packed) {
    const installed = join(dir, "node_modules", pkg.name);
    if (!existsSync(join(installed, "README.md"))) problems.push(`${pkg.name}: no README.md`);
    if (!existsSync(join(installed, "LICENSE")) || readFileSync(join(installed, "LICENSE"), "utf8") !== license) {
      problems.push(`${pkg.name}: LICENSE missing or not the repository's (copy the root LICENSE into ${pkg.dir})`);
    }
    const changelog = existsSync(join(pkg.dir, "CHANGELOG.md")) ? readFileSync(join(pkg.dir, "CHANGELOG.md"), "utf8") : "";
    const latest = /^## (\S+)/m.exec(changelog)?.[1];
    if (latest !== pkg.version)
      problems.push(`${pkg.name}: CHANGELOG.md's latest entry is ${latest ?? "missing"}, the version is ${pkg.version}`);
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
}

/** Every package README's example type-checks under nodenext, then runs and prints what the README shows. */
function readmeChecks(dir, tsc, packed) {
  const examples = readmeExamples(packed);
  for (const e of examples) writeFileSync(join(dir, `${e.file}.ts`), e.code);
  const config = JSON.parse(readFileSync(join(dir, "tsconfig.nodenext.json"), "utf8"));
  config.compilerOptions.outDir = "out-readmes";
  config.files = examples.map((e) => `${e.file}.ts`);
  writeFileSync(join(dir, "tsconfig.readmes.json"), JSON.stringify(config, null, 2));
  return {
    typecheck: {
      name: `the examples of ${examples.length} package READMEs type-check under nodenext`,
      run: () => tsc("tsconfig.readmes.json"),
    },
    runs: examples.map((e) => ({
      name: `${e.name} README example runs${e.output.length > 0 ? " and prints what the README says" : ""}`,
      async run() {
        // A home of its own: the examples run side by side and some share a pipeline name.
        const result = await execOk("node", [`out-readmes/${e.file}.js`], { cwd: dir, env: { LP_HOME: join(dir, `home-${e.file}`) } });
        const missing = missingLines(e.output, result.stdout);
        if (missing.length > 0) throw new Error(`missing from its output: ${missing.join(" | ")}\n${result.stdout}${result.stderr}`);
      },
    })),
  };
}

/** The last check: it installs tsx, so it runs after sizes are taken. */
export function tsxCheck(root, dir) {
  const env = { LP_HOME: join(dir, "home") };
  return {
    name: "npx lp run on a TypeScript file once tsx is installed",
    async run() {
      const tsx = JSON.parse(readFileSync(join(root, "node_modules", "tsx", "package.json"), "utf8")).version;
      await execOk("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", `tsx@${tsx}`], { cwd: dir });
      const result = await exec("npx", ["--no-install", "lp", "run", "pipeline.ts"], { cwd: dir, env });
      if (result.code !== 0 || !result.stdout.includes("Pipeline complete! Ran 2/2 tasks in")) {
        throw new Error(`npx lp run pipeline.ts exited ${result.code}\n${(result.stdout + result.stderr).trim()}`);
      }
    },
  };
}
