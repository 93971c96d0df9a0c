import { expect, it } from "vitest";
import { runFixture } from "./run-fixture.js";

it("results made on worker threads keep the format the default serializer picked, and read back exactly", async () => {
  const { report, err } = await runFixture("formats.ts");
  expect(err).toBe("");
  expect(report.ok).toBe(true);
  expect(report.formats).toEqual({ Rows: "msgpack", Bytes: "bytes", Loop: "v8" });
  expect(report.check).toEqual({ rowsOnThread: true, dateKept: true, setKept: true, bytes: true, loopOnThread: true, circular: true });
});
