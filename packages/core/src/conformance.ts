import assert from "node:assert/strict";
import type { BodySink, FingerprintComponents, ResultMeta, ResultStore } from "./contracts/store.js";
import { digestBytes } from "./fingerprint/hash.js";

/** Registers one test; vitest's `it`, jest's `test` and `node:test`'s `test` all fit. */
export type TestFn = (name: string, fn: () => Promise<void>) => unknown;

/** Options of {@link storeConformance}. */
export interface ConformanceOptions {
  /** Makes a fresh, empty store for each test. */
  create: () => ResultStore | Promise<ResultStore>;
  /** Disposes a store after a test (remove its folder …). */
  dispose?: (store: ResultStore) => void | Promise<void>;
  /** Makes a second store over the same data, to check durability across instances. */
  reopen?: (store: ResultStore) => ResultStore | Promise<ResultStore>;
}

/** A metadata record for tests, consistent with `body`. */
export function sampleMeta(key: string, body: Uint8Array, overrides: Partial<ResultMeta> = {}): ResultMeta {
  return {
    key,
    fingerprint: `fp-${key}`,
    components: { code: "c", inputs: { "a.csv": "h1" }, upstream: { Up: "sha256-x" } },
    digest: digestBytes(body),
    size: body.byteLength,
    serializer: "v8",
    createdAt: 1_700_000_000_000,
    expiresAt: null,
    expiry: "never",
    type: "number",
    ...overrides,
  };
}

const bytes = (text: string) => new TextEncoder().encode(text);

/** Components whose names need escaping or look like other fields, for the metadata's encoding. */
const ODD_COMPONENTS: FingerprintComponents = {
  code: 'c "quoted" \\ back\\slash',
  codeParts: { 'function `run` in a "b}c{".ts': "d1", "package `✓`": "d2" },
  inputs: { "data/ünï\\code}.csv": "h1", components: "h2" },
  upstream: { Up: "sha256-x", '"key":"Z"': "sha256-y", "\u2028\ud800": "sha256-z" },
  version: "v,1",
};

/** `getDecisionMeta`'s answer with its components decoded, as core decodes them. */
async function decisionMeta(store: ResultStore, key: string): Promise<ResultMeta | undefined> {
  const got = await store.getDecisionMeta!(key);
  if (!got) return undefined;
  const { components } = got;
  return { ...got, components: typeof components === "function" ? components.call(got)! : components };
}

/** `size` bytes that differ from piece to piece, so that a mix-up of pieces shows. */
function patterned(size: number): Buffer {
  const body = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4096) body.writeUInt32LE((i * 2654435761) >>> 0, i);
  return body;
}

/**
 * Reads back a body put as owned under "A": equal to what was put, and the reader's bytes its
 * own (changing them changes neither the body given to the put nor what a later reader gets).
 */
async function ownedReadsBack(store: ResultStore, body: Buffer, size: number): Promise<void> {
  const expected = patterned(size);
  const first = await store.get("A");
  assert.ok(first && Buffer.from(first.body).equals(expected), "the body reads back byte for byte");
  first.body.fill(1);
  assert.ok(body.equals(expected), "a reader's changes do not reach the body given to the put");
  const second = await store.get("A");
  assert.ok(second && Buffer.from(second.body).equals(expected), "a reader's changes do not reach what is stored");
}

/** Closes the store, reopens it, and reads back `body` under "A" with its digest. */
async function readsBackReopened(store: ResultStore, reopen: NonNullable<ConformanceOptions["reopen"]>, body: Buffer): Promise<void> {
  await store.close?.();
  const again = await reopen(store);
  await again.open?.();
  try {
    const got = await again.get("A");
    assert.ok(got && Buffer.from(got.body).equals(body), "the body reads back byte for byte");
    assert.equal(got.meta.digest, digestBytes(body));
  } finally {
    await again.close?.();
  }
}

/** Appends `body` in uneven pieces (one of them empty), as core does while it packs: each a view of `body`, never changed after. */
function appendInPieces(sink: BodySink, body: Buffer): void {
  const cuts = [0, 1, 1, 3 * 1024 * 1024 + 7, 5 * 1024 * 1024, body.byteLength];
  for (let i = 1; i < cuts.length; i++) sink.append(body.subarray(cuts[i - 1], cuts[i]));
}

/**
 * The result-store contract as tests, for any runner: every store (memory, cacache, a
 * user's own) must pass them.
 *
 * @example
 * import { it } from "vitest";
 * storeConformance(it, { create: () => new MyStore(tmpdir()) });
 */
export function storeConformance(test: TestFn, options: ConformanceOptions): void {
  const withStore = (name: string, fn: (store: ResultStore) => Promise<void>) =>
    test(`store contract: ${name}`, async () => {
      const store = await options.create();
      try {
        await store.open?.();
        await fn(store);
      } finally {
        await store.close?.();
        await options.dispose?.(store);
      }
    });

  withStore("a miss resolves undefined, not an error", async (store) => {
    assert.equal(await store.get("nope"), undefined);
    assert.equal(await store.getMeta("nope"), undefined);
    assert.equal(await store.has("nope"), false);
    assert.equal(await store.delete("nope"), false);
  });

  withStore("put then get returns the same bytes and metadata", async (store) => {
    const body = bytes("hello");
    const meta = sampleMeta("A", body, { expiresAt: 1_800_000_000_000, session: "s1", empty: false });
    await store.put("A", body, meta);
    const got = await store.get("A");
    assert.ok(got, "stored entry is returned");
    assert.deepEqual(Buffer.from(got.body), Buffer.from(body));
    assert.deepEqual(got.meta, meta);
    assert.deepEqual(await store.getMeta("A"), meta);
    assert.equal(await store.has("A"), true);
  });

  withStore("put replaces an earlier entry", async (store) => {
    await store.put("A", bytes("one"), sampleMeta("A", bytes("one")));
    await store.put("A", bytes("two!"), sampleMeta("A", bytes("two!"), { fingerprint: "fp2" }));
    const got = await store.get("A");
    assert.equal(Buffer.from(got!.body).toString(), "two!");
    assert.equal(got!.meta.fingerprint, "fp2");
    assert.equal((await store.list()).length, 1);
  });

  withStore("keys are independent, including odd names", async (store) => {
    const names = ["a/b", "a_b", "../../etc", "with space", "ünïcode ✓", "A", "a"];
    for (const n of names) await store.put(n, bytes(n), sampleMeta(n, bytes(n)));
    for (const n of names) assert.equal(Buffer.from((await store.get(n))!.body).toString(), n);
    assert.deepEqual((await store.list()).map((m) => m.key).sort(), [...names].sort());
  });

  withStore("an empty body round-trips", async (store) => {
    await store.put("E", new Uint8Array(0), sampleMeta("E", new Uint8Array(0)));
    assert.equal((await store.get("E"))!.body.byteLength, 0);
  });

  withStore("a returned body is a copy: mutating it changes nothing stored", async (store) => {
    await store.put("A", bytes("abc"), sampleMeta("A", bytes("abc")));
    const first = await store.get("A");
    first!.body[0] = 0;
    assert.equal(Buffer.from((await store.get("A"))!.body).toString(), "abc");
  });

  withStore("delete removes one entry", async (store) => {
    await store.put("A", bytes("1"), sampleMeta("A", bytes("1")));
    await store.put("B", bytes("2"), sampleMeta("B", bytes("2")));
    assert.equal(await store.delete("A"), true);
    assert.equal(await store.get("A"), undefined);
    assert.ok(await store.get("B"));
  });

  withStore("clear removes everything", async (store) => {
    await store.put("A", bytes("1"), sampleMeta("A", bytes("1")));
    await store.put("B", bytes("2"), sampleMeta("B", bytes("2")));
    await store.clear();
    assert.deepEqual(await store.list(), []);
    assert.equal(await store.get("B"), undefined);
  });

  withStore("setExpiry, when offered, changes only expiresAt", async (store) => {
    if (!store.setExpiry) return;
    const meta = sampleMeta("A", bytes("1"));
    await store.put("A", bytes("1"), meta);
    await store.setExpiry("A", 42);
    assert.deepEqual(await store.getMeta("A"), { ...meta, expiresAt: 42 });
    assert.equal(Buffer.from((await store.get("A"))!.body).toString(), "1");
    await store.setExpiry("missing", 42);
    assert.equal(await store.has("missing"), false);
  });

  withStore("getDecisionMeta, when offered, gives what getMeta gives, the components decoded on demand", async (store) => {
    if (!store.getDecisionMeta) return;
    assert.equal(await store.getDecisionMeta("nope"), undefined);
    const body = bytes("odd");
    const meta = sampleMeta("A", body, { expiresAt: 1_800_000_000_000, session: "s1", empty: false, components: ODD_COMPONENTS });
    await store.put("A", body, meta);
    const first = await decisionMeta(store, "A");
    assert.deepEqual(first, meta);
    // The caller's own, as getMeta's answer is.
    first!.fingerprint = "changed";
    (first!.components.upstream as Record<string, string>).Up = "changed";
    assert.deepEqual(await decisionMeta(store, "A"), meta);
    const lazy = await store.getDecisionMeta("A");
    if (typeof lazy?.components === "function") {
      const once = lazy.components();
      assert.notEqual(lazy.components(), once, "each call decodes a fresh object");
      assert.deepEqual(lazy.components(), once);
    }
    await store.put("A", bytes("two"), sampleMeta("A", bytes("two"), { fingerprint: "fp2" }));
    assert.deepEqual(await decisionMeta(store, "A"), await store.getMeta("A"));
    if (store.setExpiry) {
      await store.setExpiry("A", 42);
      assert.equal((await store.getDecisionMeta("A"))!.expiresAt, 42);
    }
  });

  withStore("concurrent puts of different keys all land", async (store) => {
    const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
    await Promise.all(keys.map((k) => store.put(k, bytes(k), sampleMeta(k, bytes(k)))));
    assert.equal((await store.list()).length, keys.length);
  });

  // putHashing, when a store offers it: core's digest, the metadata core returns for it, and
  // nothing stored when it fails. Sizes that a store may treat apart: small and big.
  const sizes: [string, number][] = [["a small body", 5], ["a body of several MiB", 9 * 1024 * 1024 + 3]];
  for (const [what, size] of sizes) {
    withStore(`putHashing, when offered, tells core's digest of ${what} and keeps the metadata made for it`, async (store) => {
      if (!store.putHashing) return;
      const body = patterned(size);
      const told: string[] = [];
      const digest = await store.putHashing("A", body, (d) => {
        told.push(d);
        return sampleMeta("A", body, { digest: d, fingerprint: "fp-told" });
      });
      assert.deepEqual(told, [digestBytes(body)], "metaFor is told the body's digest, once");
      assert.equal(digest, digestBytes(body));
      const got = await store.get("A");
      assert.ok(got, "stored entry is returned");
      assert.ok(Buffer.from(got.body).equals(body), "the body reads back byte for byte");
      assert.deepEqual(got.meta, sampleMeta("A", body, { fingerprint: "fp-told" }));
      assert.deepEqual(await store.getMeta("A"), got.meta);
    });

    withStore(`putHashing, when offered, of ${what}: a metaFor that throws stores nothing, and the earlier entry stays`, async (store) => {
      if (!store.putHashing) return;
      await store.put("A", bytes("earlier"), sampleMeta("A", bytes("earlier")));
      const refusal = new Error("no metadata for this one");
      await assert.rejects(
        store.putHashing("A", patterned(size), () => {
          throw refusal;
        }),
        (error: unknown) => error === refusal || (error as { cause?: unknown }).cause === refusal,
      );
      assert.equal(Buffer.from((await store.get("A"))!.body).toString(), "earlier");
      assert.deepEqual((await store.list()).map((m) => m.key), ["A"]);
    });
  }

  // A body core owns (nothing writes to it) may be written without the store's copy; a
  // reader must still get bytes of its own, and the body must stay as it was given.
  withStore("put of a body owned by core reads back byte for byte, and a reader's changes reach neither it nor the store", async (store) => {
    const body = patterned(1000);
    await store.put("A", body, sampleMeta("A", body), { owned: true });
    await ownedReadsBack(store, body, 1000);
  });

  for (const [what, size] of sizes) {
    withStore(`putHashing, when offered, of ${what} owned by core tells core's digest, and reads back as put does`, async (store) => {
      if (!store.putHashing) return;
      const body = patterned(size);
      const told: string[] = [];
      const digest = await store.putHashing(
        "A",
        body,
        (d) => {
          told.push(d);
          return sampleMeta("A", body, { digest: d });
        },
        { owned: true },
      );
      assert.deepEqual(told, [digestBytes(body)], "metaFor is told the body's digest, once");
      assert.equal(digest, digestBytes(body));
      assert.deepEqual(await store.getMeta("A"), sampleMeta("A", body));
      await ownedReadsBack(store, body, size);
    });
  }

  withStore("putHashing, when offered, never stores bytes changed during it under a digest they do not have", async (store) => {
    if (!store.putHashing) return;
    await store.put("A", bytes("earlier"), sampleMeta("A", bytes("earlier")));
    const body = patterned(9 * 1024 * 1024);
    let told: string | undefined;
    const put = store.putHashing("A", body, (d) => {
      told = d;
      return sampleMeta("A", body, { digest: d });
    });
    setImmediate(() => body.fill(7, 0, 1024));
    const stored = await put.then(
      () => true,
      () => false,
    );
    const got = await store.get("A");
    if (!stored) assert.equal(Buffer.from(got!.body).toString(), "earlier", "a failed put leaves the earlier entry");
    else {
      assert.equal(got!.meta.digest, told);
      assert.equal(digestBytes(got!.body), told, "what is stored has the digest it is stored under");
    }
  });

  // openBody, when a store offers it (and takes this body: it may decline with undefined):
  // pieces appended as they are made read back as one body, and nothing shows before finish.
  const BIG = 9 * 1024 * 1024 + 3;
  withStore("openBody, when offered: pieces appended read back as one body, under core's digest and the metadata made for it", async (store) => {
    const sink = store.openBody?.("A", BIG + 4096);
    if (!sink) return;
    const body = patterned(BIG);
    appendInPieces(sink, body);
    assert.equal(await store.has("A"), false, "nothing shows before finish");
    const told: string[] = [];
    const digest = await sink.finish((d) => {
      told.push(d);
      return sampleMeta("A", body, { digest: d, fingerprint: "fp-told" });
    });
    assert.deepEqual(told, [digestBytes(body)], "metaFor is told the digest of all the bytes appended, once");
    assert.equal(digest, digestBytes(body));
    const got = await store.get("A");
    assert.ok(got && Buffer.from(got.body).equals(body), "the body reads back byte for byte");
    assert.deepEqual(got.meta, sampleMeta("A", body, { fingerprint: "fp-told" }));
    await ownedReadsBack(store, body, BIG);
  });

  withStore("openBody, when offered: abort, or a metaFor that throws, stores nothing, and the earlier entry stays", async (store) => {
    await store.put("A", bytes("earlier"), sampleMeta("A", bytes("earlier")));
    const aborted = store.openBody?.("A", BIG);
    if (!aborted) return;
    appendInPieces(aborted, patterned(BIG));
    await aborted.abort();
    assert.equal(Buffer.from((await store.get("A"))!.body).toString(), "earlier");
    const refused = store.openBody!("A", BIG);
    if (!refused) return;
    appendInPieces(refused, patterned(BIG));
    const refusal = new Error("no metadata for this one");
    await assert.rejects(
      refused.finish(() => {
        throw refusal;
      }),
      (error: unknown) => error === refusal || (error as { cause?: unknown }).cause === refusal,
    );
    assert.equal(Buffer.from((await store.get("A"))!.body).toString(), "earlier");
    assert.deepEqual((await store.list()).map((m) => m.key), ["A"]);
  });

  if (options.reopen) {
    const reopen = options.reopen;
    withStore("openBody, when offered, stores durably: a body appended in pieces survives reopening the store", async (store) => {
      const sink = store.openBody?.("A", BIG);
      if (!sink) return;
      const body = patterned(BIG);
      appendInPieces(sink, body);
      await sink.finish((d) => sampleMeta("A", body, { digest: d }));
      await readsBackReopened(store, reopen, body);
    });

    withStore("putHashing, when offered, stores durably: a big body survives reopening the store", async (store) => {
      if (!store.putHashing) return;
      const body = patterned(9 * 1024 * 1024 + 3);
      await store.putHashing("A", body, (d) => sampleMeta("A", body, { digest: d }));
      await readsBackReopened(store, reopen, body);
    });

    withStore("a body owned by core survives reopening the store: a small one put, a big one by putHashing when offered", async (store) => {
      const small = patterned(1000);
      const big = patterned(9 * 1024 * 1024 + 3);
      await store.put("A", small, sampleMeta("A", small), { owned: true });
      if (store.putHashing) await store.putHashing("B", big, (d) => sampleMeta("B", big, { digest: d }), { owned: true });
      await store.close?.();
      const again = await reopen(store);
      await again.open?.();
      try {
        for (const [key, body] of store.putHashing ? [["A", small] as const, ["B", big] as const] : [["A", small] as const]) {
          const got = await again.get(key);
          assert.ok(got && Buffer.from(got.body).equals(body), `${key} reads back byte for byte`);
          assert.equal(got.meta.digest, digestBytes(body));
        }
      } finally {
        await again.close?.();
      }
    });

    withStore("entries survive reopening the store", async (store) => {
      const meta = sampleMeta("A", bytes("kept"), { components: ODD_COMPONENTS });
      await store.put("A", bytes("kept"), meta);
      await store.close?.();
      const again = await reopen(store);
      await again.open?.();
      try {
        assert.equal(Buffer.from((await again.get("A"))!.body).toString(), "kept");
        assert.deepEqual(await again.getMeta("A"), meta);
        if (again.getDecisionMeta) assert.deepEqual(await decisionMeta(again, "A"), meta);
      } finally {
        await again.close?.();
      }
    });
  }
}
