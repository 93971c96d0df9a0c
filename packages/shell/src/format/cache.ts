import { branchOwner, isExpired, type ResultMeta } from "@lp/core";
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

/** A mapped task's stored branches, shown as one row under the task. */
function branchRow(owner: string, metas: readonly ResultMeta[], tasks: ReadonlySet<string>, now: number, c: Colors): string[] {
  const expired = metas.filter((m) => isExpired(m, now)).length;
  const size = metas.reduce((n, m) => n + m.size, 0);
  const newest = Math.max(...metas.map((m) => m.createdAt));
  const state = !tasks.has(owner) ? c.magenta("orphan") : expired > 0 ? c.yellow(`${expired} expired`) : c.green("fresh");
  const count = `${metas.length} branch${metas.length === 1 ? "" : "es"}`;
  return [
    `  ${c.bold(`${owner}[…]`)}`,
    count,
    formatBytes(size),
    `newest ${formatRelative(newest, now)}`,
    expiryText(metas[0]!, now),
    state,
  ];
}

/**
 * A table of stored results (key, type, size, age, expiry, state) and a total line. The
 * branches of a mapped task are grouped into one row under the task.
 */
export function renderCache(listing: CacheListing, c: Colors): string {
  const { entries, tasks, now } = listing;
  if (entries.length === 0) return "  (no stored results)";
  const branches = new Map<string, ResultMeta[]>();
  const plain: ResultMeta[] = [];
  for (const m of entries) {
    const owner = branchOwner(m.key);
    if (owner === undefined) plain.push(m);
    else branches.set(owner, [...(branches.get(owner) ?? []), m]);
  }
  const rows: string[][] = [];
  const owners = new Set([...plain.map((m) => m.key), ...branches.keys()]);
  const byKey = new Map(plain.map((m) => [m.key, m]));
  for (const key of [...owners].sort((a, b) => a.localeCompare(b))) {
    const m = byKey.get(key);
    if (m) {
      const state = !tasks.has(m.key) ? c.magenta("orphan") : isExpired(m, now) ? c.yellow("expired") : c.green("fresh");
      rows.push([
        c.bold(m.key),
        m.type ?? "",
        formatBytes(m.size),
        `stored ${formatRelative(m.createdAt, now)}`,
        expiryText(m, now),
        state,
      ]);
    }
    const group = branches.get(key);
    if (group) rows.push(branchRow(key, group, tasks, now, c));
  }
  const head = ["task", "type", "size", "age", "expiry", "state"].map((h) => c.dim(h));
  const count = `${entries.length} stored result${entries.length === 1 ? "" : "s"}, ${formatBytes(listing.totalBytes)} in the store.`;
  return `${table([head, ...rows])}\n${count}`;
}
