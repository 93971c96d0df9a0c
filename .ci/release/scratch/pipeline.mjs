// A pipeline file in plain JavaScript, for `npx lp run`.
import { Pipeline, task } from "little-pipelines";

const one = task("One", { run: () => 1 });
const two = task("Two", {
  dependencies: [one],
  run: async function () {
    return (await this.result(one)) + 1;
  },
});

export default new Pipeline("ReleaseCheckJs").add(one, two);
