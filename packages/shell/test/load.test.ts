import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NoPipelineExportError, PipelineFileError, PipelineLoadError, isPipeline, loadPipeline } from "../src/index.js";
import { PKG, fixture } from "./support/processes.js";

describe("loadPipeline", () => {
  // The fixtures build their store when imported; nothing is run, so nothing is written.
  process.env.LP_FIXTURE_STORE ??= join(tmpdir(), "lp-shell-load-test-store.json");

  it("finds `export default pipeline`, `export const pipeline` and a default async function", async () => {
    expect((await loadPipeline(fixture("numbers.js"), PKG)).name).toBe("Numbers");
    expect((await loadPipeline(fixture("failing.js"), PKG)).name).toBe("Failing");
    expect((await loadPipeline(fixture("factory.mjs"), PKG)).name).toBe("Factory");
  });

  it("rejects a missing file, a folder and an unknown extension with LP_PIPELINE_FILE", async () => {
    const missing = await loadPipeline("nowhere.js", PKG).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PipelineFileError);
    expect(missing).toMatchObject({ code: "LP_PIPELINE_FILE", file: "nowhere.js", message: "Pipeline file nowhere.js does not exist." });
    await expect(loadPipeline("test", PKG)).rejects.toThrow("Pipeline file test is not a file.");
    await expect(loadPipeline("package.json", PKG)).rejects.toThrow(/unsupported extension ".json" \(use one of .js, .mjs, .cjs, .ts, .mts, .cts\)/);
  });

  it("names what a file exports when none of it is a pipeline", async () => {
    const error = await loadPipeline(fixture("no-export.js"), PKG).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoPipelineExportError);
    expect(error).toMatchObject({ code: "LP_NO_PIPELINE_EXPORT", exportNames: ["answer"] });
    expect((error as Error).message).toContain("Add `export default pipeline`");
  });

  it("wraps an error thrown while importing, keeping it as the cause", async () => {
    const error = await loadPipeline(fixture("throws.js"), PKG).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineLoadError);
    expect(error).toMatchObject({ code: "LP_PIPELINE_LOAD" });
    expect((error as Error).message).toBe("Pipeline file test/fixtures/throws.js failed to load: the config file is unreadable");
    expect(((error as Error).cause as Error).message).toBe("the config file is unreadable");
  });
});

describe("isPipeline", () => {
  it("recognises a pipeline by its shape, not its class", async () => {
    const pipeline = await loadPipeline(fixture("numbers.js"), PKG);
    expect(isPipeline(pipeline)).toBe(true);
    expect(isPipeline({ ...pipeline })).toBe(false);
    expect(isPipeline(null)).toBe(false);
    expect(isPipeline({ name: "x", execute() {} })).toBe(false);
  });
});
