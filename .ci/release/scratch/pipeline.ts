// A pipeline file in TypeScript, for `npx lp run` (needs tsx, an optional peer, on Node 20).
import { Pipeline, task } from "little-pipelines";

const one = task("One", { run: (): number => 1 });
const two = task("Two", {
  dependencies: [one],
  async run() {
    const n: number = await this.result(one);
    return n + 1;
  },
});

export default new Pipeline("ReleaseCheckTs").add(one, two);
