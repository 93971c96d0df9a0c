import { isExpired, type ResultMeta } from "@lp/core";
import { neverExpires } from "@lp/core/internal";
import type { Colors } from "./colors.js";
import { table } from "./table.js";
import { formatBytes, formatRelative } from "./units.js";

/** What `list-cache` and `lp cache ls` show. */
export interface CacheListing {
  /** Metadata of the entries to show. */
  entries: readonly ResultMeta[];
  /** Names of the pipeline's tasks; entries outside it are marked as orphans. */
  tasks: ReadonlySet<string>;
  now: number;
  /** Bytes the store uses in all. */
  totalBytes: number;
}

function expiryText(meta: ResultMeta, now: number): string {
  if (neverExpires(meta)) return "never";
  if (meta.session !== undefined) return `${meta.expiry} (session)`;
  if (meta.expiresAt === null) return meta.expiry;
  return `${meta.expiry}, ${meta.expiresAt <= now ? "expired" : "expires"} ${formatRelative(meta.expiresAt, now)}`;
}

/** A table of stored results (key, type, size, age, expiry, state) and a total line. */
export function renderCache(listing: CacheListing, c: Colors): string {
  const { entries, tasks, now } = listing;
  if (entries.length === 0) return "  (no stored results)";
  const rows = [...entries]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((m) => {
      const state = !tasks.has(m.key) ? c.magenta("orphan") : isExpired(m, now) ? c.yellow("expired") : c.green("fresh");
      return [c.bold(m.key), m.type ?? "", formatBytes(m.size), `stored ${formatRelative(m.createdAt, now)}`, expiryText(m, now), state];
    });
  const head = ["task", "type", "size", "age", "expiry", "state"].map((h) => c.dim(h));
  const count = `${entries.length} stored result${entries.length === 1 ? "" : "s"}, ${formatBytes(listing.totalBytes)} in the store.`;
  return `${table([head, ...rows])}\n${count}`;
}
