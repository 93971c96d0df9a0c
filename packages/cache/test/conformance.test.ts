import { join } from "node:path";
import { storeConformance } from "@lp/core/conformance";
import { describe, it } from "vitest";
import { CacacheStore } from "../src/index.js";
import { tempDir } from "./helpers.js";

describe("CacacheStore, small bodies in the journal", () => {
  storeConformance(it, {
    create: () => new CacacheStore({ dir: join(tempDir(), "store") }),
    reopen: (store) => new CacacheStore({ dir: (store as CacacheStore).dir }),
  });
});

describe("CacacheStore, every body in the content store", () => {
  storeConformance(it, {
    create: () => new CacacheStore({ dir: join(tempDir(), "store"), inlineMaxBytes: 0 }),
    reopen: (store) => new CacacheStore({ dir: (store as CacacheStore).dir, inlineMaxBytes: 0 }),
  });
});

describe("CacacheStore, made for a pipeline under a home folder", () => {
  storeConformance(it, {
    create: () => new CacacheStore({ pipeline: "../../etc ünïcode/x", home: tempDir() }),
    reopen: (store) => new CacacheStore({ dir: (store as CacacheStore).dir }),
  });
});

describe("CacacheStore without syncing (fsync: false)", () => {
  storeConformance(it, {
    create: () => new CacacheStore({ dir: join(tempDir(), "store"), fsync: false, inlineMaxBytes: 2 }),
    reopen: (store) => new CacacheStore({ dir: (store as CacacheStore).dir, fsync: false }),
  });
});
