/** Example 2 from the original little_pipelines README: One extends Zero's result. */
import { Pipeline, Task } from "little-pipelines";

export const zero = new Task<string[]>("Zero");
zero.process(function run() {
  // 'run' is the required process
  return ["Some", "values"];
});

export const one = new Task<string[]>("One", { dependencies: ["Zero"] }); // One runs after Zero
one.process(function preflight() {
  // some optional process
  return "OK";
});
one.process(async function run() {
  // 'this' is a self-like handle on the task
  const status: string = this.preflight();
  const data = await this.pipeline.getResult<string[]>("Zero"); // a fresh copy: mutating it is safe
  data.push("more", "values", status);
  return data;
});

export const pipeline = new Pipeline("Example2").add(one, zero); // order doesn't matter
export default pipeline;
