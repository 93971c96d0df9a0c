// CommonJS users: require() every package and run a pipeline through the umbrella.
const assert = require("node:assert/strict");
const lp = require("little-pipelines");
const core = require("@lp/core");
const { storeConformance } = require("@lp/core/conformance");
const { cacacheStore } = require("@lp/cache");
const { expire } = require("@lp/expiry");
const { createLogger } = require("@lp/logging");
const { Shell, runCli } = require("@lp/shell");

for (const [name, value] of Object.entries({ storeConformance, cacacheStore, expire, createLogger, Shell, runCli })) {
  assert.ok(value, `${name} is exported`);
}
// One copy of core: the umbrella's classes are the ones @lp/core exports.
assert.equal(lp.LpError, core.LpError);

const one = lp.task("One", { run: () => 20 });
const two = lp.task("Two", {
  dependencies: [one],
  run: async function () {
    return (await this.result(one)) + 22;
  },
});
const pipeline = new lp.Pipeline("ReleaseCheckCjs", { logger: lp.silentLogger() }).add(one, two);
pipeline.execute().then(async (summary) => {
  assert.equal(summary.ok, true);
  console.log(`require: ${await pipeline.getResult(two)}`);
});
