// The Lua scripts of the Redis driver. Redis runs a script alone, start to end, so each is one
// atomic step: the compare-and-set of an update, and the upkeep of the destroyAll() index in the
// same step as the write that changes it.
//
// Keys, for connect-redis's prefix P and session id S:
//   P S                   the session, exactly as connect-redis names and serializes it
//   scs-index-of:P S      which index holds the session (a string), with the session's TTL
//   scs-index:P <path>=<value>  the index: a sorted set of session ids, scored by when each session
//                         expires (Unix ms; +inf without a TTL); it expires with its last session
// The index keys do not start with P, so connect-redis's all(), ids(), length() and clear() do not
// see them (unless P is empty).

/**
 * Adds `id` to index `idx` until `ttl` seconds from now ('' for no expiry), drops the ids whose
 * sessions have expired, and lets the index expire with its longest-lived session.
 */
const INDEX = `
local function index(idx, id, ttl)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local score = '+inf'
  if ttl ~= '' then score = now + tonumber(ttl) * 1000 end
  redis.call('ZADD', idx, score, id)
  redis.call('ZREMRANGEBYSCORE', idx, '-inf', now)
  local last = redis.call('ZRANGE', idx, -1, -1, 'WITHSCORES')
  if last[2] == nil then return end
  if last[2] == 'inf' then redis.call('PERSIST', idx) else redis.call('PEXPIREAT', idx, last[2]) end
end
`

/**
 * Create, update or remove a session, only if the store holds what the caller read.
 * KEYS: 1 session, 2 its index entry. ARGV: 1 mode ('create': only if there is no record;
 * 'update', 'remove': only if the record is ARGV[2]), 2 the value read, 3 the value to write,
 * 4 TTL in seconds ('' for none), 5 session id, 6 the index the session belongs in ('' for none).
 * Returns 1 done, 0 the record is not what was read (or, for create, exists), -1 no record.
 */
export const WRITE = `${INDEX}
local current = redis.call('GET', KEYS[1])
if ARGV[1] == 'create' then
  if current then return 0 end
elseif not current then
  return -1
elseif current ~= ARGV[2] then
  return 0
end
local old = redis.call('GET', KEYS[2])
if ARGV[1] == 'remove' then
  if old then redis.call('ZREM', old, ARGV[5]) end
  redis.call('DEL', KEYS[1], KEYS[2])
  return 1
end
if old and old ~= ARGV[6] then redis.call('ZREM', old, ARGV[5]) end
if ARGV[4] == '' then redis.call('SET', KEYS[1], ARGV[3]) else redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[4]) end
if ARGV[6] == '' then
  redis.call('DEL', KEYS[2])
else
  if ARGV[4] == '' then redis.call('SET', KEYS[2], ARGV[6]) else redis.call('SET', KEYS[2], ARGV[6], 'EX', ARGV[4]) end
  index(ARGV[6], ARGV[5], ARGV[4])
end
return 1
`

/**
 * Extends a session's TTL (never creates one), and its index entry's with it.
 * KEYS: 1 session, 2 its index entry. ARGV: 1 TTL in seconds (> 0), 2 session id.
 * Returns 1 done, -1 no record.
 */
export const TOUCH = `${INDEX}
if redis.call('EXPIRE', KEYS[1], ARGV[1]) == 0 then return -1 end
local idx = redis.call('GET', KEYS[2])
if idx then
  redis.call('EXPIRE', KEYS[2], ARGV[1])
  index(idx, ARGV[2], ARGV[1])
end
return 1
`

/** Deletes a session and its index entry. KEYS: 1 session, 2 its index entry. ARGV: 1 session id. */
export const DESTROY = `
local idx = redis.call('GET', KEYS[2])
if idx then redis.call('ZREM', idx, ARGV[1]) end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
`

/** The live members of an index (expired ones dropped first). KEYS: 1 the index. */
export const MEMBERS = `
local t = redis.call('TIME')
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
return redis.call('ZRANGE', KEYS[1], 0, -1)
`
