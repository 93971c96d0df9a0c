import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { digestBytes } from "../src/fingerprint/hash.js";

const incremental = (bytes: Uint8Array) => `sha256-${createHash("sha256").update(bytes).digest("base64")}`;

describe("a result's digest", () => {
  it("is the sha256 SRI of exactly the bytes of the view it is given, whatever their size or offset", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.nat(64), fc.nat(64), (bytes, before, after) => {
        // A view into a larger buffer, as a slice of a bigger body would be.
        const whole = new Uint8Array(before + bytes.length + after).fill(0xaa);
        whole.set(bytes, before);
        const view = whole.subarray(before, before + bytes.length);
        expect(digestBytes(view)).toBe(incremental(bytes));
        expect(digestBytes(Buffer.from(bytes))).toBe(incremental(bytes));
      }),
    );
  });

  it("of an empty body and of a big one is that of the same bytes hashed in pieces", () => {
    expect(digestBytes(new Uint8Array(0))).toBe("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 0x5c);
    const hash = createHash("sha256");
    for (let at = 0; at < big.length; at += 65536) hash.update(big.subarray(at, at + 65536));
    expect(digestBytes(big)).toBe(`sha256-${hash.digest("base64")}`);
  });
});
