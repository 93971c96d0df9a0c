import { describe, it } from "vitest";
import { fixture, tempStore, tsNode } from "./support/processes.js";

const CUSTOM = fixture("custom-shell.ts");

describe.concurrent("a Shell subclass", () => {
  it("gets a command per cmd… method, with its help, and its own startup and shutdown", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await tsNode(CUSTOM, [], store, "hello Ann Lee\nhello\nhelp hello\ncount_tasks\nhelp\nlist-tasks\nexit\n");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const [banner, named, world, help, count, all, tasks, closing] = result.stdout.split("hello> ");
    expect(banner).toBe("*** Welcome to the hello shell ***\n");
    expect(named).toBe("Hello, Ann Lee!\n");
    expect(world).toBe("Hello, world!\n");
    expect(help).toBe("hello\nGreet someone by name.\nUsage: hello [name]\n");
    expect(count).toBe("This pipeline has 5 tasks.\n");
    expect(all).toMatch(/^\s+hello\s+Greet someone by name\.$/m);
    expect(all).toMatch(/^\s+count-tasks\s*$/m);
    expect(all).toMatch(/^\s+list-tasks\s+List every task/m);
    expect(tasks).toMatch(/Sum\s+not cached/);
    expect(closing).toBe("*** See you ***\n");
  });

  it("falls back to the default banner and closing when startup() or shutdown() throws, and shows the errors", async ({ expect, onTestFinished }) => {
    const store = tempStore();
    onTestFinished(store.remove);
    const result = await tsNode(CUSTOM, ["--throw-startup", "--throw-shutdown"], store, "hello\n");
    expect(result.code).toBe(0);
    const [banner, hello, closing] = result.stdout.split("hello> ");
    expect(banner).toContain("Basic\nNumbers for testing the shell. (5 tasks)\npowered by little-pipelines");
    expect(banner).toContain("Error in startup(): the banner file is missing\n");
    expect(banner).not.toContain("Welcome");
    expect(hello).toBe("Hello, world!\n");
    expect(closing).toBe("Bye.\nError in shutdown(): could not say goodbye\n");
  });
});
