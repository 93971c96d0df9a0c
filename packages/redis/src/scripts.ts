/**
 * Lua scripts, each one atomic in Redis: a reader sees an entry's metadata and body
 * from the same write, and two writers of one key never leave a mix.
 *
 * Keys of a store with prefix P (all in one cluster hash slot, `{…}`):
 * - `P:meta`   hash: task key → metadata JSON, as core wrote it;
 * - `P:where`  hash: task key → the list holding its body;
 * - `P:expiry` hash: task key → `expiresAt` set later by `setExpiry` (overrides the JSON);
 * - `P:body:<key>:<digest>` list: the body's chunks, in order.
 */

/** KEYS: meta, where, expiry. ARGV: key, meta JSON, body list, "1" when the body is not empty. */
export const PUT = `
if ARGV[4] == "1" and redis.call("EXISTS", ARGV[3]) == 0 then return -1 end
local old = redis.call("HGET", KEYS[2], ARGV[1])
redis.call("HSET", KEYS[1], ARGV[1], ARGV[2])
redis.call("HSET", KEYS[2], ARGV[1], ARGV[3])
redis.call("HDEL", KEYS[3], ARGV[1])
if old and old ~= ARGV[3] then redis.call("DEL", old) end
return 1`;

/** KEYS: meta, where, expiry. ARGV: key. Returns [meta, expiry or false, chunks]. */
export const GET = `
local m = redis.call("HGET", KEYS[1], ARGV[1])
if not m then return false end
local b = redis.call("HGET", KEYS[2], ARGV[1])
local chunks = {}
if b then chunks = redis.call("LRANGE", b, 0, -1) end
return { m, redis.call("HGET", KEYS[3], ARGV[1]), chunks }`;

/** KEYS: meta, expiry. ARGV: key. Returns [meta, expiry or false]. */
export const GET_META = `
local m = redis.call("HGET", KEYS[1], ARGV[1])
if not m then return false end
return { m, redis.call("HGET", KEYS[2], ARGV[1]) }`;

/**
 * KEYS: meta, where, expiry. ARGV: key, and optionally the metadata JSON the caller saw:
 * then the entry is removed only if it is still that one (prune beside a live run).
 */
export const DELETE = `
local m = redis.call("HGET", KEYS[1], ARGV[1])
if not m then return 0 end
if ARGV[2] and ARGV[2] ~= m then return 0 end
local b = redis.call("HGET", KEYS[2], ARGV[1])
redis.call("HDEL", KEYS[1], ARGV[1])
redis.call("HDEL", KEYS[2], ARGV[1])
redis.call("HDEL", KEYS[3], ARGV[1])
if b then redis.call("DEL", b) end
return 1`;

/** KEYS: meta, expiry. ARGV: key, expiresAt. Only an existing entry gets one. */
export const SET_EXPIRY = `
if redis.call("HEXISTS", KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call("HSET", KEYS[2], ARGV[1], ARGV[2])
return 1`;

/** KEYS: meta, where, expiry. Removes every entry and its body. */
export const CLEAR = `
for _, b in ipairs(redis.call("HVALS", KEYS[2])) do redis.call("DEL", b) end
redis.call("DEL", KEYS[1], KEYS[2], KEYS[3])
return 1`;
