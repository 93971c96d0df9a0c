import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_NAME_BYTES, safeName } from "../src/internal.js";

/** The rule character by character, as documented on safeName: the oracle for its quicker path. */
function byTheRule(name: string): string {
  const percent = (ch: string) => [...Buffer.from(ch, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
  let out = [...name].map((ch) => (/[\p{L}\p{N}_\- .]/u.test(ch) ? ch : percent(ch))).join("");
  if (/^[. ]/.test(out) || /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(out)) out = percent(out[0]!) + out.slice(1);
  if (/[. ]$/.test(out)) out = out.slice(0, -1) + percent(out.at(-1)!);
  if (Buffer.byteLength(out) <= MAX_NAME_BYTES) return out;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 12);
  const cut = Buffer.from(out).subarray(0, MAX_NAME_BYTES - 16).toString("utf8").replace(/\uFFFD+$/, "").replace(/%[0-9A-F]?$/, "");
  return `${cut}~h${hash}`;
}

const pieces = ["a", "Z", "0", "_", "-", ".", " ", "/", "%", "~", "é", "日", "con", "LPT1", "nul.", "x".repeat(40)];

describe("safeName", () => {
  it("keeps plain names as they are and encodes the rest by the rule", () => {
    for (const name of ["t1", "TaskOne", "load-2024.csv", "a b", "con", "con.txt", "COM1", "console", ".a", "a.", " a", "a ", "x".repeat(120), "x".repeat(121)]) {
      expect(safeName(name)).toBe(byTheRule(name));
    }
    expect(safeName("t9999")).toBe("t9999");
    expect(safeName("con")).toBe("%63on");
  });

  it("agrees with the rule on any name", () => {
    const names = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 8 }).map((p) => p.join(""));
    fc.assert(fc.property(fc.oneof(names, fc.string({ minLength: 1 })), (name) => safeName(name) === byTheRule(name)), { numRuns: 2000 });
  });
});
