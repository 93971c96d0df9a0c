/**
 * A user's own result store: one JSON file per task in a plain folder. It shows that
 * `@lp/core` works with any storage that implements the small `ResultStore` contract.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ResultMeta, ResultStore, StoredResult } from "@lp/core";

interface Entry {
  meta: ResultMeta;
  body: string; // base64
}

/** File names from keys: hex of the name, so no key can escape the folder or collide. */
const fileOf = (dir: string, key: string) => join(dir, `${Buffer.from(key, "utf8").toString("hex")}.json`);

const digestOf = (body: Uint8Array) => `sha256-${createHash("sha256").update(body).digest("base64")}`;

export class JsonDirStore implements ResultStore {
  readonly description: string;
  constructor(readonly dir: string) {
    this.description = `json-dir:${dir}`;
  }

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  async #read(key: string): Promise<Entry | undefined> {
    try {
      return JSON.parse(await readFile(fileOf(this.dir, key), "utf8")) as Entry;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async get(key: string): Promise<StoredResult | undefined> {
    const entry = await this.#read(key);
    if (!entry) return undefined;
    const body = new Uint8Array(Buffer.from(entry.body, "base64"));
    // Never hand back a body that does not match its digest.
    return digestOf(body) === entry.meta.digest ? { body, meta: entry.meta } : undefined;
  }

  async getMeta(key: string): Promise<ResultMeta | undefined> {
    return (await this.#read(key))?.meta;
  }

  async put(key: string, body: Uint8Array, meta: ResultMeta): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = fileOf(this.dir, key);
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, JSON.stringify({ meta: { ...meta, key }, body: Buffer.from(body).toString("base64") }));
    await rename(tmp, file); // atomic: readers see the old entry or the new one
  }

  async has(key: string): Promise<boolean> {
    return (await this.#read(key)) !== undefined;
  }

  async delete(key: string): Promise<boolean> {
    const existed = await this.has(key);
    await rm(fileOf(this.dir, key), { force: true });
    return existed;
  }

  async list(): Promise<ResultMeta[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const metas = await Promise.all(
      names.filter((n) => n.endsWith(".json")).map(async (n) => (JSON.parse(await readFile(join(this.dir, n), "utf8")) as Entry).meta),
    );
    return metas;
  }

  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true });
  }
}
