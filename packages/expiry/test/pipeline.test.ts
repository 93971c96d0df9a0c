import { type ExpiryPolicy, Pipeline, silentLogger, task } from "@lp/core";
import { describe, expect, it } from "vitest";
import { atDatetime, atMidnight, fromNow, fromToday, monthly, onComplete, weekly } from "../src/index.js";

/** A clock the test moves by hand; the pipeline reads it through PipelineOptions.clock. */
function manualClock(iso: string) {
  let now = new Date(iso);
  return {
    read: () => now,
    set(to: string | number) {
      now = new Date(to);
    },
  };
}

/** A pipeline of one task that counts how often it really ran. */
function counting(policy: ExpiryPolicy, clock: () => Date) {
  let runs = 0;
  const counter = task("Counter", {
    expire: policy,
    run() {
      runs += 1;
      return runs;
    },
  });
  const pipeline = new Pipeline("Expiry", { clock, logger: silentLogger() }).add(counter);
  return { pipeline, counter, runs: () => runs };
}

describe("policies in a real pipeline with an injected clock", () => {
  const START = "2025-03-08T19:00:00Z"; // Saturday, 12:00 in Denver, the day before spring forward
  it.each<[string, ExpiryPolicy, string]>([
    ["atMidnight in Denver", atMidnight({ timeZone: "America/Denver" }), "2025-03-09T07:00:00.000Z"],
    ["fromNow 2h", fromNow({ hours: 2 }), "2025-03-08T21:00:00.000Z"],
    ["fromNow 1 day across spring forward", fromNow({ days: 1 }, { timeZone: "America/Denver" }), "2025-03-09T18:00:00.000Z"],
    ["fromToday 1 day 6 hours", fromToday({ days: 1, hours: 6 }, { timeZone: "America/Denver" }), "2025-03-09T12:00:00.000Z"],
    ["weekly on Mondays", weekly(["Mon"], { timeZone: "America/Denver" }), "2025-03-10T06:00:00.000Z"],
    ["monthly on the 31st", monthly([31], { timeZone: "UTC" }), "2025-03-31T00:00:00.000Z"],
    ["atDatetime", atDatetime("2025-03-20T09:00", { timeZone: "America/Denver", clock: () => new Date(START) }), "2025-03-20T15:00:00.000Z"],
  ])("%s: reused before expiry, reported and re-run after", async (_what, policy, expiresIso) => {
    const clock = manualClock(START);
    const { pipeline, counter, runs } = counting(policy, clock.read);

    const first = await pipeline.execute({ handleSigint: false });
    expect(first.tasks[0]).toMatchObject({ state: "executed", expiresAt: Date.parse(expiresIso) });
    expect((await pipeline.store.getMeta("Counter"))?.expiry).toBe(policy.label);

    clock.set(Date.parse(expiresIso) - 1);
    const [fresh] = await pipeline.status();
    expect(fresh).toMatchObject({ state: "cached", decision: { run: false } });
    expect((await pipeline.execute({ handleSigint: false })).tasks[0]?.state).toBe("cached");
    expect(runs()).toBe(1);

    clock.set(expiresIso);
    const [stale] = await pipeline.status();
    expect(stale).toMatchObject({ state: "expired", decision: { run: true, text: `expired at ${expiresIso}` } });
    expect(await pipeline.explain("Counter")).toBe(`Counter: will run (expired at ${expiresIso})`);
    expect((await pipeline.execute({ handleSigint: false })).tasks[0]?.state).toBe("executed");
    expect(runs()).toBe(2);
    expect(await pipeline.getResult(counter)).toBe(2);
  });

  it("computes each new expiry from the clock at the time of the run", async () => {
    const clock = manualClock("2025-11-01T18:00:00Z"); // Saturday noon in Denver, MDT
    const { pipeline } = counting(atMidnight({ timeZone: "America/Denver" }), clock.read);
    expect((await pipeline.execute({ handleSigint: false })).tasks[0]?.expiresAt).toBe(Date.parse("2025-11-02T06:00:00Z"));
    clock.set("2025-11-02T19:00:00Z"); // the 25-hour Sunday, now MST
    expect((await pipeline.execute({ handleSigint: false })).tasks[0]?.expiresAt).toBe(Date.parse("2025-11-03T07:00:00Z"));
  });
});

describe("onComplete in a real pipeline", () => {
  it("lets dependents read the result during the run, expires it when the run ends with failures, and re-runs it next time", async () => {
    let extracts = 0;
    const extract = task("Extract", {
      expire: onComplete(),
      run() {
        extracts += 1;
        return [1, 2, 3];
      },
    });
    const total = task("Total", {
      dependencies: [extract],
      async run() {
        const rows = await this.result(extract);
        return rows.reduce((a, b) => a + b, 0);
      },
    });
    const broken = task("Broken", {
      dependencies: [extract],
      run(): number {
        throw new Error("source unavailable");
      },
    });
    const pipeline = new Pipeline("OnComplete", { logger: silentLogger() }).add(extract, total, broken);

    const first = await pipeline.execute({ handleSigint: false });
    expect(first.ok).toBe(false);
    expect(first.tasks.find((t) => t.name === "Broken")?.state).toBe("failed");
    expect(await pipeline.getResult(total)).toBe(6);
    const statuses = await pipeline.status();
    expect(statuses.find((s) => s.task === "Extract")?.state).toBe("expired");
    expect(statuses.find((s) => s.task === "Total")?.decision.reason.kind).toBe("upstream-pending");

    const second = await pipeline.execute({ handleSigint: false });
    expect(second.tasks.find((t) => t.name === "Extract")?.state).toBe("executed");
    expect(extracts).toBe(2);
    // Extract gave the same rows again, so Total's stored result still holds.
    expect(second.tasks.find((t) => t.name === "Total")?.state).toBe("cached");
  });
});
