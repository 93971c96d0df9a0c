import { describe, expect, it } from "vitest";
import { InvalidOptionError, LpError, Task, task } from "../src/index.js";

describe("Task definition", () => {
  it("registers named processes and rejects anonymous, reserved and duplicate ones", () => {
    const t = new Task("T");
    t.process(function extract() { return 1; });
    expect([...t.processes.keys()]).toEqual(["extract"]);
    expect(() => t.process(() => 1)).toThrow(/Task "T": a process needs a name/);
    expect(() => t.process(function logger() {})).toThrow(/"logger" cannot be a process name/);
    expect(() => t.process(function extract() {})).toThrow(/already has a process named "extract"/);
    expect(t.hasRun).toBe(false);
    t.process("run", () => 2);
    expect(t.hasRun).toBe(true);
  });

  it("keeps processes in registration order, one or many, and hands out a map that cannot change the task", () => {
    const one = new Task("One", { run: () => 1 });
    expect([...one.processes]).toEqual([["run", expect.any(Function)]]);
    (one.processes as Map<string, unknown>).delete("run");
    expect(one.hasRun).toBe(true);
    const many = new Task("Many", { processes: { b() {}, a() {} }, run: () => 2 });
    many.process(function c() {});
    expect([...many.processes.keys()]).toEqual(["b", "a", "run", "c"]);
    expect(() => many.process(function a() {})).toThrow(/already has a process named "a"/);
    expect(many.processes).not.toBe(many.processes);
    const before = many.codeDigest();
    (many.processes as Map<string, unknown>).delete("c");
    (many.processes as Map<string, unknown>).set("d", () => 3);
    expect([...many.processes.keys()]).toEqual(["b", "a", "run", "c"]);
    expect(many.codeDigest()).toBe(before);
    expect(new Task("None").processes.size).toBe(0);
  });

  it("hands out a frozen code fingerprint whatever the processes and codeHash", () => {
    const tasks = [
      new Task("One", { run: () => 1 }),
      new Task("Many", { processes: { a() {} }, run: () => 2 }),
      new Task("Source", { run: () => 3, codeHash: "processes" }),
      new Task("Untracked", { run: () => 4, codeHash: false }),
    ];
    for (const t of tasks) {
      const code = t.codeFingerprint();
      expect(Object.isFrozen(code) && Object.isFrozen(code.parts), t.name).toBe(true);
      expect(() => {
        (code.parts as Record<string, string>).x = "1";
      }, t.name).toThrow(TypeError);
      expect(t.codeFingerprint().parts, t.name).not.toHaveProperty("x");
    }
  });

  it("tasks built in one loop share their defaults and code fingerprint instead of keeping copies", () => {
    const tasks = [0, 1, 2].map((i) => new Task(`T${i}`, { dependencies: i === 0 ? [] : [`T${i - 1}`], run: () => i }));
    const [a, b] = tasks as [Task, Task];
    expect(a.codeFingerprint()).toBe(b.codeFingerprint());
    expect(Object.isFrozen(a.codeFingerprint()) && Object.isFrozen(a.codeFingerprint().parts)).toBe(true);
    expect(a.codeFingerprint().digest).toMatch(/^closure:run:[0-9a-f]{64}\//);
    expect(a.retries).toBe(b.retries);
    expect(a.retries).toEqual({ count: 0, delayMs: 100, factor: 2, maxDelayMs: 30_000 });
    expect(a.expire).toBe(b.expire);
    expect(a.expire.label).toBe("never");
    expect(a.expire.expiresAt(new Date())).toBeNull();
    expect([a.dependencies, a.inputFiles, b.dependencies]).toEqual([[], [], ["T0"]]);
    // What a task is given is its own.
    expect(new Task("R", { retries: 2 }).retries).toEqual({ count: 2, delayMs: 100, factor: 2, maxDelayMs: 30_000 });
    expect(new Task("S", { run: () => 1, codeHash: "processes" }).codeFingerprint().digest).toMatch(/^source:/);
    expect(new Task("U", { run: () => 1, codeHash: false }).codeFingerprint()).toEqual({ digest: "", parts: {}, note: undefined });
  });

  it("rejects bad options naming the task, the option and what it got", () => {
    expect(() => new Task("")).toThrow(InvalidOptionError);
    expect(() => new Task("T", { retries: -1 })).toThrow('Task "T": expected `retries` to be a whole number from 0 up, got -1.');
    expect(() => new Task("T", { timeout: 0 })).toThrow("`timeout`");
    expect(() => new Task("T", { ifUpstreamErrors: "ignore" as "fail" })).toThrow('"fail" or "skip"');
    expect(() => new Task("T", { dependencies: [42 as unknown as string] })).toThrow("dependencies[0]");
    expect(() => new Task("T", { expire: {} as never })).toThrow("expiry policy");
    expect(() => new Task("T", { inputFiles: [""] })).toThrow("inputFiles");
  });

  it("accepts Task objects as dependencies and dedupes them", () => {
    const a = task("A", { run: () => 1 });
    const b = new Task("B", { dependencies: [a, "A", "C"] });
    expect(b.dependencies).toEqual(["A", "C"]);
  });

  it("finds the module that defined it", () => {
    const t = new Task("T");
    expect(t.definedIn).toBe(new URL(import.meta.url).pathname);
    expect(task("U", { run: () => 1 }).definedIn).toBe(new URL(import.meta.url).pathname);
  });

  it("errors carry stable codes", () => {
    try {
      new Task("T", { retries: 1.5 });
    } catch (e) {
      expect(e).toBeInstanceOf(LpError);
      expect((e as LpError).code).toBe("LP_INVALID_OPTION");
    }
  });
});
