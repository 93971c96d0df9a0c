// Example 1 (examples/example-1): three independent tasks feed a Sum, on the cacache
// store. The tasks sleep as the example's do (TaskTwo 2.5 s), so a cold run is bound by
// them; a warm run re-runs only TaskThree (it expires when the run completes).
// node scenarios/example1.mjs <LP_HOME>
import { Pipeline, Task, cacacheStore, onComplete, silentLogger } from "../lib/packages.mjs";
import { report, since } from "../lib/report.mjs";

const [home] = process.argv.slice(2);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const start = performance.now();
const one = new Task("TaskOne", { run: async () => (await sleep(100), 1) });
const two = new Task("TaskTwo", {
  processes: {
    async extract() {
      await sleep(1500);
      return 1;
    },
    async transform(ext) {
      await sleep(1000);
      return ext + 1;
    },
    async run() {
      return this.transform(await this.extract());
    },
  },
});
const three = new Task("TaskThree", { expire: onComplete(), run: async () => (await sleep(300), 3) });
const sum = new Task("Sum", {
  dependencies: ["TaskOne", "TaskTwo", "TaskThree"],
  async run() {
    await sleep(250);
    const [a, b, c] = await Promise.all(["TaskOne", "TaskTwo", "TaskThree"].map((t) => this.result(t)));
    return a + b + c;
  },
});
const pipeline = new Pipeline("Example1", { store: cacacheStore({ home }), logger: silentLogger() }).add(one, two, three, sum);
const summary = await pipeline.execute();
const result = await pipeline.getResult("Sum");
await pipeline.close();
if (result !== 6 || !summary.ok) throw new Error(`Example 1 went wrong: ${result}`);
report({ run: since(start), executed: summary.totals.executed });
