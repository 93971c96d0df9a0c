import { beforeAll, describe, it } from "vitest";
import { CLI, childEnv, fixture, requireBuild, tempStore } from "./support/processes.js";
import { Pty } from "./support/pty.js";
import { screenRows } from "./support/screen.js";

beforeAll(requireBuild);

const ENTER = "\r";
const CTRL_C = "\x03";

describe("the progress line on a terminal", () => {
  it("is erased when Ctrl-C cancels a run in the shell, and never left on screen", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const env = childEnv(store);
    delete env.CI; // progress is off under CI
    const term = new Pty(`node ${CLI} shell ${fixture("slow-progress.js")}`, env);
    onTestFinished(() => term.kill());
    await term.waitFor(/Slow> $/);

    const mark = term.text.length;
    term.type(`execute${ENTER}`);
    // The live line is up: "⠋ 1/2 done · 0:00.10 · running: Slow 0:00.05".
    await term.waitFor(/running: Slow \d:\d\d\.\d\d/, mark);
    term.type(CTRL_C);
    await term.waitFor(/Pipeline stopped!\s+: STOP : Interrupted after[^\n]*\n[\s\S]*Slow> $/, mark);

    const rows = screenRows(term.raw);
    expect(rows.some((r) => r.includes("Cancelling the run"))).toBe(true);
    // No row the terminal still shows is a progress line.
    expect(rows.filter((r) => /\d+\/\d+ done · /.test(r))).toEqual([]);
    term.type("exit\r");
    expect(await term.exited).toBe(0);
  });
});
