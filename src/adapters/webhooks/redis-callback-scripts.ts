/**
 * The Lua scripts of the Redis callback queue (redis-callback-queue.ts). Layout: `tw:hook:<id>` a
 * hash (paymentId, url, body, attempts, dueAt, createdAt, state, lastError); `tw:hooks:payment:<paymentId>`
 * the payment's pending ids in queue order; `tw:hooks:due` each payment with pending deliveries, scored
 * by its head's due time; `tw:hooks:pending` every pending id; `tw:hook-lock:<id>` the sender that
 * claimed a due head (expires by itself if that sender's gateway dies).
 */

/** Takes a delivery off its payment's list and makes the next one the head. */
const LEAVE = `
local function leave(id, pid)
  redis.call('LREM', 'tw:hooks:payment:' .. pid, 1, id)
  redis.call('SREM', 'tw:hooks:pending', id)
  redis.call('DEL', 'tw:hook-lock:' .. id)
  local nextId = redis.call('LINDEX', 'tw:hooks:payment:' .. pid, 0)
  if nextId then
    redis.call('ZADD', 'tw:hooks:due', redis.call('HGET', 'tw:hook:' .. nextId, 'dueAt'), pid)
  else
    redis.call('ZREM', 'tw:hooks:due', pid)
  end
end
`;

/** ARGV: id, paymentId, url, body, now. */
export const ADD = `
redis.call('HSET', 'tw:hook:' .. ARGV[1], 'paymentId', ARGV[2], 'url', ARGV[3], 'body', ARGV[4],
  'attempts', 0, 'dueAt', ARGV[5], 'createdAt', ARGV[5], 'state', 'pending')
if redis.call('RPUSH', 'tw:hooks:payment:' .. ARGV[2], ARGV[1]) == 1 then
  redis.call('ZADD', 'tw:hooks:due', ARGV[5], ARGV[2])
end
redis.call('SADD', 'tw:hooks:pending', ARGV[1])
return 1`;

/**
 * ARGV: limit, now, owner, lockMs. The first `limit` payments by their head's due time; a head
 * already due is returned only when this sender holds, or now takes, its claim.
 */
export const HEADS = `
local out = {}
for _, pid in ipairs(redis.call('ZRANGE', 'tw:hooks:due', 0, tonumber(ARGV[1]) - 1)) do
  local id = redis.call('LINDEX', 'tw:hooks:payment:' .. pid, 0)
  if id then
    local row = redis.call('HMGET', 'tw:hook:' .. id, 'url', 'body', 'attempts', 'dueAt')
    local take = true
    if tonumber(row[4]) <= tonumber(ARGV[2]) then
      local lock = 'tw:hook-lock:' .. id
      local holder = redis.call('GET', lock)
      if holder and holder ~= ARGV[3] then
        take = false
      else
        redis.call('SET', lock, ARGV[3], 'PX', ARGV[4])
      end
    end
    if take then table.insert(out, {id, pid, row[1], row[2], row[3], row[4]}) end
  end
end
return out`;

/** ARGV: id. */
export const DELIVERED = `${LEAVE}
local pid = redis.call('HGET', 'tw:hook:' .. ARGV[1], 'paymentId')
if not pid then return 0 end
leave(ARGV[1], pid)
redis.call('DEL', 'tw:hook:' .. ARGV[1])
return 1`;

/** ARGV: id, attempts, error, dueAt ('' gives it up), keepMs (how long one given up stays readable). */
export const FAILED = `${LEAVE}
local key = 'tw:hook:' .. ARGV[1]
local pid = redis.call('HGET', key, 'paymentId')
if not pid then return 0 end
if ARGV[4] == '' then
  redis.call('HSET', key, 'attempts', ARGV[2], 'lastError', ARGV[3], 'state', 'given-up')
  leave(ARGV[1], pid)
  redis.call('PEXPIRE', key, ARGV[5])
else
  redis.call('HSET', key, 'attempts', ARGV[2], 'lastError', ARGV[3], 'dueAt', ARGV[4])
  if redis.call('LINDEX', 'tw:hooks:payment:' .. pid, 0) == ARGV[1] then
    redis.call('ZADD', 'tw:hooks:due', ARGV[4], pid)
  end
  redis.call('DEL', 'tw:hook-lock:' .. ARGV[1])
end
return 1`;
