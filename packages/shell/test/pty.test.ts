import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, it } from "vitest";
import { CLI, childEnv, fixture, requireBuild, tempStore } from "./support/processes.js";
import { Pty } from "./support/pty.js";

beforeAll(requireBuild);

const TAB = "\t";
const ENTER = "\r";
const CTRL_C = "\x03";
const CTRL_D = "\x04";
const UP = "\x1b[A";

describe.concurrent("the shell on a terminal", () => {
  it("completes commands and task names with Tab, cancels a run with Ctrl-C and keeps going, leaves on Ctrl-D", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const history = join(store.dir, "history");
    const term = new Pty(`node ${CLI} shell ${fixture("slow.js")} --history ${history}`, childEnv(store));
    onTestFinished(() => term.kill());
    await term.waitFor(/Slow> $/);

    let mark = term.text.length;
    term.type(`list-t${TAB}`);
    await term.waitFor(/list-tasks$/, mark);
    term.type(ENTER);
    await term.waitFor(/Quick\s+not cached[\s\S]*Slow> $/, mark);

    mark = term.text.length;
    term.type(`info Qu${TAB}`);
    await term.waitFor(/info Quick$/, mark);
    term.type(ENTER);
    await term.waitFor(/dependents\s+Slow[\s\S]*Slow> $/, mark);

    mark = term.text.length;
    term.type(`execute${ENTER}`);
    await term.waitFor(/Slow\s+: EXEC : Running\.\.\./, mark);
    term.type(CTRL_C);
    const cancelled = await term.waitFor(/Pipeline stopped!\s+: STOP : Interrupted after[^\n]*\n[\s\S]*Slow> $/, mark);
    expect(cancelled).toMatch(/Quick\s+: DONE/);
    expect(cancelled).toMatch(/Pipeline stopped!\s+: STOP : Interrupted after/);

    mark = term.text.length;
    term.type(`list-tasks${ENTER}`);
    const listed = await term.waitFor(/Slow\s+not cached[\s\S]*Slow> $/, mark);
    expect(listed).toMatch(/Quick\s+cached\s+string/);

    mark = term.text.length;
    term.type(`half-typed${CTRL_C}`);
    term.type(`status${ENTER}`);
    const status = await term.waitFor(/tasks would run\.[\s\S]*Slow> $/, mark);
    expect(status).not.toContain("Unknown command");

    term.type(CTRL_D);
    expect(await term.exited).toBe(0);
    expect(term.text.trimEnd().endsWith("Bye.")).toBe(true);
    expect(Object.keys(store.read())).toEqual(["Quick"]);
    // Oldest first; list-tasks was typed twice and is kept once, where it was last used.
    expect(readFileSync(history, "utf8")).toBe("info Quick\nexecute\nlist-tasks\nstatus\n");
  });

  it("recalls the history of an earlier session with the Up arrow", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const history = join(store.dir, "history");
    writeFileSync(history, "status\nvalidate\n");
    const term = new Pty(`node ${CLI} shell ${fixture("slow.js")} --history ${history}`, childEnv(store));
    onTestFinished(() => term.kill());
    await term.waitFor(/Slow> $/);
    const mark = term.text.length;
    term.type(`${UP}${ENTER}`);
    const output = await term.waitFor(/valid \(2 tasks\)\.[\s\S]*Slow> $/, mark);
    expect(output).toContain("Pipeline Slow is valid (2 tasks).");
    term.type(`exit${ENTER}`);
    expect(await term.exited).toBe(0);
  });

  it("completes a subclass command's arguments from its complete… method", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const term = new Pty(`node --import tsx ${fixture("custom-shell.ts")}`, childEnv(store));
    onTestFinished(() => term.kill());
    await term.waitFor(/hello> $/);
    const mark = term.text.length;
    term.type(`hello B${TAB}`);
    await term.waitFor(/hello Bob$/, mark);
    term.type(ENTER);
    const greeted = await term.waitFor(/Hello, Bob!/, mark);
    expect(greeted).toContain("Hello, Bob!");
    term.type(`exit${ENTER}`);
    expect(await term.exited).toBe(0);
    expect(term.text).toContain("*** See you ***");
  });
});
