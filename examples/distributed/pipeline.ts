/**
 * Word statistics over a few texts: one task per text counts its words (these run on
 * whichever workers are free), and a last task merges the counts.
 */
import { hostname } from "node:os";
import { Pipeline, task } from "little-pipelines";

const TEXTS: Record<string, string> = {
  alpha: "the quick brown fox jumps over the lazy dog",
  beta: "a stitch in time saves nine and the early bird catches the worm",
  gamma: "the rain in spain stays mainly in the plain",
  delta: "all that glitters is not gold and the gold is not all",
};

/** Word counts of one text; slow enough that the texts spread over the workers. */
function countTask(name: string) {
  return task(`Count ${name}`, {
    async run() {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const counts: Record<string, number> = {};
      for (const word of TEXTS[name]!.split(" ")) counts[word] = (counts[word] ?? 0) + 1;
      this.logger.info(`counted ${name} on ${hostname()} (pid ${process.pid})`);
      return counts;
    },
  });
}

const counts = Object.keys(TEXTS).map(countTask);

export const merge = task("Merge", {
  dependencies: counts,
  async run() {
    const total: Record<string, number> = {};
    for (const count of counts) {
      for (const [word, n] of Object.entries(await this.result(count))) total[word] = (total[word] ?? 0) + n;
    }
    return Object.entries(total)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .slice(0, 3);
  },
});

export const pipeline = new Pipeline("WordStats").add(...counts, merge);
export default pipeline;
