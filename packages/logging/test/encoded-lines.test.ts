import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LogFile } from "../src/files/log-file.js";
import { encodePipelineHead, pipelineHead, pipelineHeadBytes } from "../src/render/file-line.js";
import { tempDir } from "./fixtures.js";

/** The pipeline log line as the text path renders it, in bytes. */
const expected = (at: number, who: string, kind: string, message: string) => Buffer.from(`${pipelineHead(at, who, kind, message)}\n`);

function encoded(at: number, who: string, kind: string, message: string, offset = 7): Buffer {
  const buffer = Buffer.alloc(offset + pipelineHeadBytes(who, kind, message), 0xff);
  const end = encodePipelineHead(buffer, offset, at, who, kind, message);
  return buffer.subarray(offset, end);
}

// Pipeline log lines are encoded from their parts straight into the file's batch; they must be
// the very bytes of the text they stand for.
describe("pipeline log lines encoded from their parts", () => {
  it("are the bytes of the text line, for any name, badge, message and time", () => {
    const at = new Date(2025, 0, 31, 23, 59, 58, 7).getTime();
    const cases: [number, string, string, string][] = [
      [at, "TaskTwo", "DONE", "(in 0:02.50)"],
      [at + 993, "t9999", "EXEC", "Running..."],
      [at + 1000, "数据处理", "SKIP", "Using cached results (number)"],
      [at + 5, "emoji 🚀 task", "DEBUG", "Runs because: no stored result"],
      [at + 99, "a/b:c~d", "CRITICAL", "longer than five"],
      [at + 10, "lone \ud800 surrogate", "WARN", "and \udc00 another"],
      [at, "", "", ""],
      [at + 1, "y".repeat(64), "INFO", `${"m".repeat(200)}é`],
      [at + 2, `${"y".repeat(63)}é`, "INFO", "\u007f\u0080 edges"],
      [new Date(1969, 11, 31, 23, 59, 59, 250).getTime(), "Old", "INFO", "before the epoch"],
      [new Date(12345, 0, 1, 0, 0, 0, 1).getTime(), "Far", "INFO", "a five-digit year"],
      [at + 0.5, "Fraction", "INFO", "a clock with fractions of a millisecond"],
      [Number.NaN, "NoClock", "INFO", "no time at all"],
    ];
    for (const [when, who, kind, message] of cases) expect(encoded(when, who, kind, message)).toEqual(expected(when, who, kind, message));
  });

  it("are the bytes of the text line when the same messages come again and again, kept as bytes or not", () => {
    const at = Date.UTC(2025, 5, 1, 12);
    const messages = ["Using cached results (number)", "Runs because: never run (no stored result)", "数据 é 🚀", "lone \ud800", "x".repeat(121), ""];
    for (let round = 0; round < 4; round++) {
      for (const [i, message] of messages.entries()) expect(encoded(at + round, `T${i}`, "SKIP", message)).toEqual(expected(at + round, `T${i}`, "SKIP", message));
    }
    // More distinct messages than are kept: the ones past the limit are written as they come.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 600; i++) expect(encoded(at, "T", "INFO", `m${i}é`)).toEqual(expected(at, "T", "INFO", `m${i}é`));
    }
  });

  it("are the bytes of the text line across many kinds, more than are kept encoded", () => {
    const at = Date.UTC(2025, 5, 1);
    for (let i = 0; i < 100; i++) {
      const kind = `K${i}`;
      expect(encoded(at + i, "T", kind, "m")).toEqual(expected(at + i, "T", kind, "m"));
    }
  });
});

describe("a log file's batch", () => {
  it("holds lines larger than its first buffer, and lines encoded in place, in order", () => {
    const dir = tempDir();
    const file = new LogFile(join(dir, "big.log"), Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
    const texts: string[] = [];
    for (let i = 0; i < 50; i++) {
      const text = `${i} ${"名".repeat(i * 200)}\n`;
      texts.push(text);
      expect(file.append(text)).toBe(Buffer.byteLength(text));
      const at = Date.UTC(2025, 0, 1) + i;
      const buffer = file.room(pipelineHeadBytes("T", "INFO", "m"));
      file.commit(encodePipelineHead(buffer, file.end, at, "T", "INFO", `m${i}`) - file.end);
      texts.push(`${pipelineHead(at, "T", "INFO", `m${i}`)}\n`);
    }
    file.flush();
    file.append("after the batch\n");
    file.flush();
    expect(readFileSync(join(dir, "big.log"), "utf8")).toBe(`${texts.join("")}after the batch\n`);
  });

  it("rotates before the line that would take it past its size, in bytes, the line moving to the new file", () => {
    const dir = tempDir();
    let now = Date.UTC(2025, 0, 31, 12);
    const file = new LogFile(join(dir, "r.log"), 100, Number.NEGATIVE_INFINITY, () => (now += 1000));
    const lines = Array.from({ length: 12 }, (_, i) => `${i} ${"é".repeat(10 + i)}\n`);
    for (const line of lines) file.append(line);
    file.flush();
    const names = readdirSync(dir).sort();
    const order = [...names.filter((n) => n !== "r.log"), "r.log"];
    const texts = order.map((n) => readFileSync(join(dir, n)));
    expect(order.length).toBeGreaterThan(3);
    expect(Buffer.concat(texts).toString()).toBe(lines.join(""));
    for (const [i, t] of texts.entries()) {
      expect(t.length).toBeLessThanOrEqual(100);
      // Rotated only because the next file's first line would not fit.
      if (i < texts.length - 1) expect(t.length + texts[i + 1]!.indexOf(0x0a) + 1).toBeGreaterThan(100);
    }
  });
});
