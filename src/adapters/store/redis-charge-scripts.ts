/**
 * The Lua scripts of the Redis charge ledger (redis-charge-ledger.ts): each change of a row and its
 * two indexes (`tw:charges`, by sent time; `tw:charges:call:<callId>`) is one atomic step.
 * Row: `tw:charge:<paymentId>`, a hash of callId, agent, processorKey, sentAt, state, owner.
 */

/** KEYS: row, index. ARGV: paymentId, callId, agent, processorKey, sentAt, owner. Replaces a row. */
export const SENDING = `
local old = redis.call('HGET', KEYS[1], 'callId')
if old then redis.call('SREM', 'tw:charges:call:' .. old, ARGV[1]) end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'callId', ARGV[2], 'agent', ARGV[3], 'processorKey', ARGV[4],
  'sentAt', ARGV[5], 'state', 'sending', 'owner', ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
redis.call('SADD', 'tw:charges:call:' .. ARGV[2], ARGV[1])
return 1`;

/** KEYS: row, index. ARGV: paymentId. Removes the row, if any. */
export const SETTLED = `
local call = redis.call('HGET', KEYS[1], 'callId')
if call then redis.call('SREM', 'tw:charges:call:' .. call, ARGV[1]) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`;

/** KEYS: row. Marks it unknown, if it exists (never creates one). */
export const UNKNOWN = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'state', 'unknown') end
return 1`;

/**
 * KEYS: index. ARGV: owner. At a gateway's start: its own rows still `sending` belong to its run that
 * stopped, and become `unknown`; another gateway's rows are that gateway's (it may be live, with the
 * payment in its memory). Returns how many changed.
 */
export const OPEN = `
local changed = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local key = 'tw:charge:' .. id
  local row = redis.call('HMGET', key, 'state', 'owner')
  if row[1] == 'sending' and row[2] == ARGV[1] then
    redis.call('HSET', key, 'state', 'unknown')
    changed = changed + 1
  end
end
return changed`;
