import { beforeAll, describe, it } from "vitest";
import { CLI, childEnv, fixture, requireBuild, run, tempStore } from "./support/processes.js";

beforeAll(requireBuild);

// tsx is an optional peer dependency: these runs hide it from the real `lp` bin.
const withoutTsx = (args: readonly string[], store: ReturnType<typeof tempStore>) =>
  run(process.execPath, ["--import", `./${fixture("hide-tsx.mjs")}`, CLI, ...args], childEnv(store));

describe.concurrent("TypeScript pipelines without tsx", () => {
  it("says how to get tsx, exits 2 and runs nothing", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await withoutTsx(["run", fixture("basic.ts")], store);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim()).toBe(
      "lp: Pipeline file test/fixtures/basic.ts is TypeScript and needs tsx, which is not installed. " +
        "Install it beside little-pipelines (npm install --save-dev tsx), use a Node.js that strips types itself (22.18 or later), or compile the file to JavaScript.",
    );
    expect(store.keys()).toEqual([]);
  });

  it("still runs JavaScript pipelines, which never load tsx", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await withoutTsx(["run", fixture("numbers.js")], store);
    // stdout is a pipe: stderr carries the run's lines, and nothing about tsx.
    expect(result.stderr).not.toMatch(/tsx|warning|error/i);
    expect(result.code).toBe(0);
    expect(store.keys()).toEqual(["Big", "Hourly", "Sum", "TaskOne", "TaskTwo"]);
  });
});
