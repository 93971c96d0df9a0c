/**
 * Example 1 from the original little_pipelines README: three independent tasks feed
 * a Sum. TaskThree's result expires when the run completes, so every run re-runs it;
 * because it returns the same 3 again, Sum stays cached (early cutoff).
 */
import { Pipeline, Task, expire, task } from "little-pipelines";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Seed form: processes registered by function name, `this` is the task handle.
export const taskOne = new Task<number>("TaskOne");
taskOne.process(async function run() {
  await sleep(100); // emulate processing time
  return 1;
});

// Typed form: `this.extract()` and `this.transform()` are known to the compiler.
export const taskTwo = task("TaskTwo", {
  processes: {
    async extract() {
      await sleep(1500);
      return 1;
    },
    async transform(ext: number) {
      await sleep(1000);
      return ext + 1;
    },
    async run() {
      const raw = await this.extract();
      return this.transform(raw);
    },
  },
});

export const taskThree = new Task<number>("TaskThree", { expire: expire.onComplete() });
taskThree.process(async function run() {
  await sleep(300);
  return 3;
});

export const sum = new Task<number>("Sum", { dependencies: ["TaskOne", taskTwo, "TaskThree"] });
sum.process(async function run() {
  await sleep(250);
  const r1 = await this.pipeline.getResult<number>("TaskOne"); // as in the seed
  const r2 = await this.result(taskTwo); // typed by the task
  const r3 = await this.result<number>("TaskThree");
  return r1 + r2 + r3;
});

export const pipeline = new Pipeline("Example1").add(taskOne, taskTwo, taskThree, sum);
export default pipeline;
