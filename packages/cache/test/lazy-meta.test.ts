import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { Pipeline, Task } from "@lp/core";
import type { LazyResultMeta, ResultMeta } from "@lp/core";
import { digestBytes } from "@lp/core/internal";
import { describe, expect, it } from "vitest";
import { CacacheStore } from "../src/index.js";
import { parseWithoutComponents } from "../src/journal/lazy-meta.js";
import { tempDir } from "./helpers.js";

/** A small seeded generator, so that a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  // Characters that JSON escapes or that look like structure, and some that are far from ASCII.
  const alphabet = ['"', "\\", "{", "}", "[", "]", ",", ":", "\n", "\u0000", "\u2028", "\ud800", "\udc00", "é", "✓", "😀", "a", "z", "0", " ", "components", '"components":'];
  const text = () => Array.from({ length: int(6) }, () => pick(alphabet)).join("");
  const record = (): Record<string, string> => Object.fromEntries(Array.from({ length: int(4) }, () => [text(), text()]));
  const value = (depth: number): unknown => {
    switch (int(depth > 0 ? 7 : 5)) {
      case 0:
        return text();
      case 1:
        return next() < 0.5 ? int(1e9) : -next() * 1e300;
      case 2:
        return pick([true, false, null]);
      case 3:
        return record();
      case 4:
        return int(2 ** 53);
      case 5:
        return Array.from({ length: int(4) }, () => value(depth - 1));
      default:
        return Object.fromEntries(Array.from({ length: int(4) }, () => [text(), value(depth - 1)]));
    }
  };
  return { int, next, pick, text, record, value };
}

/** Metadata as a store may hold it: the fields in any order, some missing, odd values, extra fields. */
function metadata(seed: number, extra = true): Record<string, unknown> {
  const r = random(seed);
  const fields: [string, unknown][] = [
    ["key", r.text()],
    ["fingerprint", r.text()],
    ["components", { code: r.text(), codeParts: r.record(), inputs: r.record(), upstream: r.record(), version: r.text() }],
    ["digest", `sha256-${r.text()}`],
    ["size", r.int(1e6)],
    ["serializer", r.text()],
    ["createdAt", r.int(2 ** 42)],
    ["expiresAt", r.pick([null, r.int(2 ** 42)])],
    ["session", r.text()],
    ["expiry", r.text()],
    ["empty", r.pick([true, false])],
    ["type", r.text()],
    ...(extra ? [[r.text(), r.value(2)] as [string, unknown]] : []),
  ];
  for (let i = fields.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [fields[i], fields[j]] = [fields[j]!, fields[i]!];
  }
  return Object.fromEntries(fields.filter(() => r.next() < 0.9));
}

/** What the lazy reading gives, its components decoded: must be JSON.parse's answer. */
function eager(parsed: Record<string, unknown>): Record<string, unknown> {
  const { components } = parsed;
  return typeof components === "function" ? { ...parsed, components: (components as () => unknown)() } : parsed;
}

describe("metadata read with its components left to decode", () => {
  it("is what JSON.parse gives, whatever the fields, their order and their characters", () => {
    let lazy = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const text = JSON.stringify(metadata(seed));
      const parsed = parseWithoutComponents(text);
      // Left to the full parse where the components are not plainly there.
      if (!parsed) continue;
      lazy++;
      expect(eager(parsed), `seed ${seed}`).toEqual(JSON.parse(text));
    }
    expect(lazy).toBeGreaterThan(1500);
  });

  it("is always so for the fields core writes, whatever their characters", () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const meta = metadata(seed, false);
      const text = JSON.stringify(meta);
      const parsed = parseWithoutComponents(text);
      expect(parsed === undefined, `seed ${seed}`).toBe(meta.components === undefined);
      if (parsed) expect(eager(parsed), `seed ${seed}`).toEqual(JSON.parse(text));
    }
  });

  it("is what JSON.parse gives, in the same order, for metadata laid out as core writes it", () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const r = random(seed);
      const number = () => r.pick([0, -0, r.int(2 ** 53), -r.int(1e6), r.next() * 1e-9, r.next() * 1e300, 1.5e21]);
      const meta = {
        key: r.text(),
        fingerprint: r.text(),
        components: { code: r.text(), codeParts: r.record(), inputs: r.record(), upstream: r.record(), version: r.pick([undefined, r.text()]) },
        digest: r.text(),
        size: number(),
        serializer: r.text(),
        createdAt: number(),
        expiresAt: r.pick([null, number()]),
        session: r.pick([undefined, r.text()]),
        expiry: r.text(),
        empty: r.pick([undefined, true, false]),
        type: r.pick([undefined, r.text()]),
      };
      const text = JSON.stringify(meta);
      const parsed = parseWithoutComponents(text);
      expect(parsed, `seed ${seed}`).toBeDefined();
      const whole = JSON.parse(text) as Record<string, unknown>;
      expect(eager(parsed!), `seed ${seed}`).toEqual(whole);
      expect(Object.keys(parsed!), `seed ${seed}`).toEqual(Object.keys(whole));
      expect(Object.is(parsed!.size, whole.size) && Object.is(parsed!.createdAt, whole.createdAt), `seed ${seed}`).toBe(true);
    }
  });

  it("is what JSON.parse gives for any JSON value, or left to it", () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const r = random(seed);
      const v = r.next() < 0.5 ? r.value(3) : { ...(r.value(2) as object), components: r.value(2) };
      const text = JSON.stringify(v);
      const parsed = parseWithoutComponents(text);
      if (parsed) expect(eager(parsed), `seed ${seed}`).toEqual(JSON.parse(text));
    }
  });

  it("reads a string with an escape JSON does not have as JSON.parse does: not at all", () => {
    const c = '{"code":"c","inputs":{},"upstream":{}}';
    const text = `{"key":"A\\x","fingerprint":"f","components":${c},"digest":"d","size":1,"serializer":"s","createdAt":1,"expiresAt":null,"expiry":"never"}`;
    expect(() => JSON.parse(text)).toThrow();
    expect(parseWithoutComponents(text)).toBeUndefined();
  });

  it("leaves unusual text to the full parse: spaces, escaped or repeated keys, damage", () => {
    const c = '{"code":"c","inputs":{},"upstream":{}}';
    for (const text of [
      `{ "components":${c}}`,
      `{"\\u0063omponents":${c},"key":"A"}`,
      `{"components":${c},"components":{"code":"d","inputs":{},"upstream":{}}}`,
      `{"components":"text"}`,
      `{"components":[1]}`,
      `{"key":"A","components":{"code":"c"`,
      `{"key":"A\\"","components"`,
      `["components",{}]`,
      "",
    ]) {
      expect(parseWithoutComponents(text), text).toBeUndefined();
    }
  });

  it("leaves to the full parse, which refuses them, components holding an escape JSON does not have", () => {
    for (const bad of ["\\x", "\\uZZZZ", "\\u12", "\\'", "\\\u00e9"]) {
      for (const text of [
        `{"key":"A","components":{"code":"${bad}"},"fingerprint":"f"}`,
        `{"key":"A","fingerprint":"f","components":{"code":"c","codeParts":{},"inputs":{"${bad}":"x"},"upstream":{}},"digest":"d","size":1,"serializer":"s","createdAt":1,"expiresAt":null,"expiry":"never"}`,
      ]) {
        expect(() => JSON.parse(text), text).toThrow();
        expect(parseWithoutComponents(text), text).toBeUndefined();
      }
    }
  });

  it("agrees with JSON.parse on damaged metadata laid out as core writes it: the same value, or both refuse", () => {
    // Damage a store may hold: text inserted, removed or replaced, escapes JSON has and has not.
    const damage = ['"', "\\", "\\x", "\\u12", "\\uZZZZ", "\\uD800", "\\n", "\\/", "{", "}", ",", ":", " ", "\u0001", "0", "-", "e", "null", "tru", ".", "}}", '"a":"b",', '"components":{},'];
    const whole = (text: string): unknown => {
      try {
        const value: unknown = JSON.parse(text);
        return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
      } catch {
        return undefined;
      }
    };
    let lazy = 0;
    let refused = 0;
    for (let seed = 1; seed <= 20000; seed++) {
      const r = random(seed);
      const meta = {
        key: r.text(),
        fingerprint: r.text(),
        components: { code: r.text(), codeParts: r.record(), inputs: r.record(), upstream: r.record(), version: r.text() },
        digest: `sha256-${r.text()}`,
        size: r.int(1e6),
        serializer: r.pick(["msgpack", "v8"]),
        createdAt: r.int(2 ** 42),
        expiresAt: r.pick([null, r.int(2 ** 42)]),
        session: r.pick([undefined, r.text()]),
        expiry: r.text(),
        empty: r.pick([undefined, true, false]),
        type: r.pick([undefined, r.text()]),
      };
      let text = JSON.stringify(meta);
      for (let k = 1 + r.int(2); k > 0; k--) {
        const at = r.int(text.length + 1);
        const op = r.int(3);
        if (op === 0) text = text.slice(0, at) + r.pick(damage) + text.slice(at);
        else if (op === 1) text = text.slice(0, at) + text.slice(at + 1 + r.int(3));
        else text = text.slice(0, at) + r.pick(damage) + text.slice(at + 1);
      }
      const expected = whole(text);
      if (expected === undefined) refused++;
      const parsed = parseWithoutComponents(text);
      if (!parsed) continue;
      lazy++;
      // Read lazily, it must be the same object JSON.parse gives, components included.
      expect(expected, `seed ${seed}: ${text}`).toBeDefined();
      expect(eager(parsed), `seed ${seed}: ${text}`).toEqual(expected);
    }
    expect(lazy).toBeGreaterThan(2000);
    expect(refused).toBeGreaterThan(2000);
  });
});

describe("getDecisionMeta", () => {
  const metaOf = (key: string, body: Buffer): ResultMeta => ({
    key,
    fingerprint: `fp-${key}`,
    components: { code: "c", codeParts: { "function `run` in x.ts": "d" }, inputs: { "a}.csv": "sha256-x" }, upstream: { [`"${key}"`]: "sha256-up" } },
    digest: digestBytes(body),
    size: body.byteLength,
    serializer: "msgpack",
    createdAt: 1,
    expiresAt: null,
    expiry: "never",
    empty: false,
    type: "string",
  });

  it("of thousands of entries read back by a new store, leaves each one's components to decode, and decodes each entry's own", async () => {
    const dir = join(tempDir(), "store");
    const store = new CacacheStore({ dir });
    const keys = Array.from({ length: 2000 }, (_, i) => `t${i}✓`);
    await Promise.all(keys.map((k) => store.put(k, Buffer.from(k), metaOf(k, Buffer.from(k)))));
    await store.close();
    const again = new CacacheStore({ dir });
    for (const k of keys.reverse()) {
      const got = (await again.getDecisionMeta(k)) as LazyResultMeta;
      expect(typeof got.components).toBe("function");
      const { components, ...rest } = got;
      const { components: stored, ...expected } = metaOf(k, Buffer.from(k));
      expect(rest).toEqual(expected);
      expect(components()).toEqual(stored);
    }
    await again.close();
  });

  it("answers as getMeta does for metadata whose components are not an object", async () => {
    const dir = join(tempDir(), "store");
    const store = new CacacheStore({ dir });
    const odd = { ...metaOf("A", Buffer.from("a")), components: undefined } as unknown as ResultMeta;
    await store.put("A", Buffer.from("a"), odd);
    expect(await store.getDecisionMeta("A")).toEqual(await store.getMeta("A"));
    expect((await store.getDecisionMeta("A"))!.components).toBeUndefined();
    await store.close();
  });

  it("refuses, as getMeta does, a stored entry whose components hold an escape JSON does not have: the task runs again", async () => {
    const dir = join(tempDir(), "store");
    let runs = 0;
    const run = async () => {
      const store = new CacacheStore({ dir });
      const pipeline = new Pipeline("Forged", { store });
      pipeline.add(new Task("A", { run: () => ++runs }));
      const summary = await pipeline.execute();
      const result = await pipeline.getResult("A");
      await pipeline.close();
      return { executed: summary.totals.executed, result };
    };
    expect(await run()).toEqual({ executed: 1, result: 1 });
    // A record written by another program: its own checksum right, its metadata not JSON.
    let forged = 0;
    for (const name of readdirSync(join(dir, "journal")).filter((n) => n.endsWith(".lpj"))) {
      const file = join(dir, "journal", name);
      const data = readFileSync(file);
      const at = data.indexOf('"components":{"code":"');
      if (at === -1) continue;
      data.write("\\x", at + '"components":{"code":"'.length, "latin1");
      const record = data.lastIndexOf("LPJ1", at);
      const length = data.readUInt32LE(record + 4);
      data.writeUInt32LE(crc32(data.subarray(record + 12, record + 12 + length)), record + 8);
      writeFileSync(file, data);
      forged++;
    }
    expect(forged).toBe(1);
    const store = new CacacheStore({ dir });
    expect(await store.getMeta("A")).toBeUndefined();
    expect(await store.getDecisionMeta("A")).toBeUndefined();
    await store.close();
    expect(await run()).toEqual({ executed: 1, result: 2 });
  });
});
