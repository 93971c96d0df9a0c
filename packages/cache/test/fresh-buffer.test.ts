import { describe, expect, it } from "vitest";
import { freshBuffer } from "../src/fresh-buffer.js";

const PIECE = 1024 * 1024;
const SIZE = 5 * PIECE + 123;

describe("a buffer touched ahead of a copy", () => {
  it("keeps what is written into each piece once it is ready: no touching comes after", async () => {
    const fresh = await freshBuffer(SIZE, PIECE);
    expect(fresh.buffer.byteLength).toBe(SIZE);
    for (let i = 0, from = 0; from < SIZE; i++, from += PIECE) {
      await fresh.ready(i);
      fresh.buffer.fill(i + 1, from, Math.min(from + PIECE, SIZE));
      // Later pieces go on being touched meanwhile.
      await new Promise((r) => setImmediate(r));
    }
    await fresh.stop();
    for (let i = 0, from = 0; from < SIZE; i++, from += PIECE) {
      const piece = fresh.buffer.subarray(from, Math.min(from + PIECE, SIZE));
      expect(piece.every((b) => b === i + 1), `piece ${i}`).toBe(true);
    }
  });

  it("stopped early, touches nothing more: every piece is ready, and what is written stays", async () => {
    const fresh = await freshBuffer(SIZE, PIECE);
    await fresh.ready(0);
    await fresh.stop();
    fresh.buffer.fill(9);
    for (let i = 0; i < 6; i++) await fresh.ready(i);
    await new Promise((r) => setTimeout(r, 20));
    expect(fresh.buffer.every((b) => b === 9)).toBe(true);
  });
});
