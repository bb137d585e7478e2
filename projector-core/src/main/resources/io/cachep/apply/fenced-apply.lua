-- cachep: version-fenced apply of the mutations of ONE event that share ONE hash tag.
-- The checks and the writes are one script, so they are atomic in Redis. docs/rules.md ("Fencing") explains the model.
--
-- KEYS: for each distinct entry k (1-based), KEYS[2k-1] is its data key and KEYS[2k] its fence hash (same hash tag).
-- ARGV[1]: the event's entityversion as a canonical non-negative integer string (compared as text: Lua numbers are
--          doubles and lose precision past 2^53).
-- ARGV[2]: tombstone retention, ms.   ARGV[3]: the event's time, epoch ms.
-- Then each operation: an opcode, the entry index k, and its arguments (expireAt is epoch ms or -1 for none):
--   UH k expireAt n f1 v1 .. fn vn     upsert: replace the entry with a hash
--   US k expireAt value                upsert: replace the entry with a string
--   M  k expireAt n f1 v1 .. m d1 .. dm merge: set n fields, remove m fields, each fenced per field
--   D  k channel                       delete: remove the entry, leave a tombstone, publish the key if channel ~= ''
--   X  k expireAt                      expire: set the entry's expiry
--   SA k expireAt member | SR k member set-add / set-remove, fenced per member
--   ZA k expireAt member score | ZR k member   zset-add / zset-remove, fenced per member
--   F  k flushTime                     a tag invalidation: drop the content if no write is newer (event time)
-- Returns one outcome per operation: 'applied', 'duplicate', 'stale' or 'expired'.
--
-- The fence hash holds: v (version of the last whole-entry write: upsert or delete), d ('1' after a delete),
-- f:<field> and m:<member> (version of the last write of that field or member), x and xv (the expiry and the version
-- that set it), t (latest event time of any write), tf (latest tag invalidation time).

local V = ARGV[1]
local retention = tonumber(ARGV[2])
local T = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

-- Compares canonical integer strings: a shorter one is smaller; equal lengths compare as text.
local function compare(a, b)
  if #a ~= #b then
    if #a < #b then return -1 else return 1 end
  end
  if a == b then return 0 end
  if a < b then return -1 else return 1 end
end

-- 'duplicate' or 'stale' when `current` (a version, or false) is this event's version or newer; nil otherwise.
local function fenced_by(current)
  if not current then return nil end
  local c = compare(V, current)
  if c == 0 then return 'duplicate' end
  if c < 0 then return 'stale' end
  return nil
end

local function touch_time(fence)
  local t = redis.call('HGET', fence, 't')
  if not t or tonumber(t) < T then redis.call('HSET', fence, 't', T) end
end

-- The expiry is a register of its own, fenced by the version that set it: an overwrite without an expiry keeps
-- it, an older expiry never replaces a newer one.
local function set_expiry(fence, expireAt)
  if expireAt < 0 or fenced_by(redis.call('HGET', fence, 'xv')) then return end
  redis.call('HSET', fence, 'x', expireAt, 'xv', V)
end

-- A whole-entry write at V replaces every field or member older than V; cells written by newer events survive.
-- Returns the surviving cells (with their current values) and removes the fence entries of the dropped ones.
local function clear_older_cells(data, fence)
  local dtype = redis.call('TYPE', data).ok
  local kept = {}
  local cells = redis.call('HGETALL', fence)
  for i = 1, #cells, 2 do
    local name, version = cells[i], cells[i + 1]
    local kind = string.sub(name, 1, 2)
    if kind == 'f:' or kind == 'm:' then
      local item = string.sub(name, 3)
      if compare(version, V) > 0 then
        if kind == 'f:' then
          kept[#kept + 1] = { 'f', item, redis.call('HGET', data, item) }
        elseif dtype == 'zset' then
          kept[#kept + 1] = { 'z', item, redis.call('ZSCORE', data, item) }
        else
          kept[#kept + 1] = { 's', item, redis.call('SISMEMBER', data, item) == 1 }
        end
      else
        redis.call('HDEL', fence, name)
      end
    end
  end
  redis.call('DEL', data)
  return kept
end

local function restore(data, kept)
  for _, cell in ipairs(kept) do
    if cell[3] then
      if cell[1] == 'f' then redis.call('HSET', data, cell[2], cell[3])
      elseif cell[1] == 'z' then redis.call('ZADD', data, cell[3], cell[2])
      else redis.call('SADD', data, cell[2]) end
    end
  end
end

local function upsert(data, fence, op)
  touch_time(fence)
  set_expiry(fence, op.expireAt)
  local outcome = fenced_by(redis.call('HGET', fence, 'v'))
  if outcome then return outcome end
  local kept = clear_older_cells(data, fence)
  if op.code == 'US' then
    redis.call('SET', data, op.value)
  else
    local newer = {}
    for _, cell in ipairs(kept) do if cell[1] == 'f' then newer[cell[2]] = true end end
    local args = {}
    for j = 1, #op.fields, 2 do
      if not newer[op.fields[j]] then
        args[#args + 1] = op.fields[j]
        args[#args + 1] = op.fields[j + 1]
      end
    end
    if #args > 0 then redis.call('HSET', data, unpack(args)) end
  end
  restore(data, kept)
  redis.call('HSET', fence, 'v', V)
  redis.call('HDEL', fence, 'd')
  return 'applied'
end

local function delete(data, fence, op)
  touch_time(fence)
  local outcome = fenced_by(redis.call('HGET', fence, 'v'))
  if outcome then return outcome end
  restore(data, clear_older_cells(data, fence))
  redis.call('HSET', fence, 'v', V, 'd', '1')
  -- As of this version the entity is gone, expiry included (unless a newer event set one).
  if not fenced_by(redis.call('HGET', fence, 'xv')) then
    redis.call('HDEL', fence, 'x')
    redis.call('HSET', fence, 'xv', V)
  end
  if op.channel ~= '' then redis.call('PUBLISH', op.channel, data) end
  return 'applied'
end

local function merge(data, fence, op)
  touch_time(fence)
  set_expiry(fence, op.expireAt)
  local outcome = fenced_by(redis.call('HGET', fence, 'v'))
  if outcome then return outcome end
  local applied, stale = 0, 0
  local function field(name, value)
    local r = fenced_by(redis.call('HGET', fence, 'f:' .. name))
    if r == 'stale' then stale = stale + 1 end
    if r then return end
    if value then redis.call('HSET', data, name, value) else redis.call('HDEL', data, name) end
    redis.call('HSET', fence, 'f:' .. name, V)
    applied = applied + 1
  end
  for j = 1, #op.fields, 2 do field(op.fields[j], op.fields[j + 1]) end
  for _, name in ipairs(op.removed) do field(name, false) end
  if applied > 0 then return 'applied' end
  if stale > 0 then return 'stale' end
  return 'duplicate'
end

local function member(data, fence, op)
  touch_time(fence)
  if op.code == 'SA' or op.code == 'ZA' then set_expiry(fence, op.expireAt) end
  local outcome = fenced_by(redis.call('HGET', fence, 'v')) or fenced_by(redis.call('HGET', fence, 'm:' .. op.member))
  if outcome then return outcome end
  if op.code == 'SA' then redis.call('SADD', data, op.member)
  elseif op.code == 'SR' then redis.call('SREM', data, op.member)
  elseif op.code == 'ZA' then redis.call('ZADD', data, op.score, op.member)
  else redis.call('ZREM', data, op.member) end
  redis.call('HSET', fence, 'm:' .. op.member, V)
  return 'applied'
end

local function expire(fence, op)
  local outcome = fenced_by(redis.call('HGET', fence, 'xv'))
  if outcome then return outcome end
  redis.call('HSET', fence, 'x', op.expireAt, 'xv', V)
  return 'applied'
end

local function flush(data, fence, op)
  local tf = redis.call('HGET', fence, 'tf')
  if tf and tonumber(tf) >= op.flushTime then return 'duplicate' end
  redis.call('HSET', fence, 'tf', op.flushTime)
  return 'applied'
end

-- Makes Redis match the fence after this call's writes: expiry, tag invalidation, and the fence's own lifetime.
-- Returns true when the entry's expiry has passed.
local function finalize(data, fence)
  if redis.call('EXISTS', fence) == 0 then return false end
  local x = redis.call('HGET', fence, 'x')
  local t = redis.call('HGET', fence, 't')
  local tf = redis.call('HGET', fence, 'tf')
  local expired = x and tonumber(x) <= now
  if expired or (tf and t and tonumber(t) <= tonumber(tf)) then
    redis.call('DEL', data)
  elseif x then
    redis.call('PEXPIREAT', data, x)
  else
    redis.call('PERSIST', data)
  end
  -- The fence outlives the data it guards by the retention, so late and replayed older events still find it.
  if not x and redis.call('EXISTS', data) == 1 then
    redis.call('PERSIST', fence)
  else
    local untilMs = now + retention
    if x and tonumber(x) > now then untilMs = tonumber(x) + retention end
    local current = redis.call('PEXPIRETIME', fence)
    if current == -1 or current < untilMs then redis.call('PEXPIREAT', fence, untilMs) end
  end
  return expired
end

local EXPECTED_TYPE = { UH = 'hash', M = 'hash', US = 'string', SA = 'set', SR = 'set', ZA = 'zset', ZR = 'zset' }

-- Parse every operation and check key types before writing anything: a WRONGTYPE must leave no partial write.
local ops = {}
local i = 4
while i <= #ARGV do
  local op = { code = ARGV[i], k = tonumber(ARGV[i + 1]) }
  local code = op.code
  i = i + 2
  if code == 'UH' or code == 'M' then
    op.expireAt = tonumber(ARGV[i])
    local count = tonumber(ARGV[i + 1])
    op.fields = {}
    for j = 1, 2 * count do op.fields[j] = ARGV[i + 1 + j] end
    i = i + 2 + 2 * count
    op.removed = {}
    if code == 'M' then
      local removals = tonumber(ARGV[i])
      for j = 1, removals do op.removed[j] = ARGV[i + j] end
      i = i + 1 + removals
    end
  elseif code == 'US' then
    op.expireAt = tonumber(ARGV[i]); op.value = ARGV[i + 1]; i = i + 2
  elseif code == 'D' then
    op.channel = ARGV[i]; i = i + 1
  elseif code == 'X' then
    op.expireAt = tonumber(ARGV[i]); i = i + 1
  elseif code == 'SA' then
    op.expireAt = tonumber(ARGV[i]); op.member = ARGV[i + 1]; i = i + 2
  elseif code == 'ZA' then
    op.expireAt = tonumber(ARGV[i]); op.member = ARGV[i + 1]; op.score = ARGV[i + 2]; i = i + 3
  elseif code == 'SR' or code == 'ZR' then
    op.member = ARGV[i]; i = i + 1
  elseif code == 'F' then
    op.flushTime = tonumber(ARGV[i]); i = i + 1
  else
    return redis.error_reply('ERR cachep fenced-apply: unknown opcode ' .. tostring(code))
  end
  op.data = KEYS[2 * op.k - 1]
  op.fence = KEYS[2 * op.k]
  local fenceType = redis.call('TYPE', op.fence).ok
  if fenceType ~= 'none' and fenceType ~= 'hash' then
    return redis.error_reply('WRONGTYPE fence key ' .. op.fence .. ' holds a ' .. fenceType .. ', not a hash')
  end
  local expected = EXPECTED_TYPE[code]
  if expected then
    local actual = redis.call('TYPE', op.data).ok
    if actual ~= 'none' and actual ~= expected then
      return redis.error_reply('WRONGTYPE key ' .. op.data .. ' holds a ' .. actual .. ', the rule writes a ' .. expected)
    end
  end
  ops[#ops + 1] = op
end

local outcomes = {}
for n, op in ipairs(ops) do
  local code = op.code
  if code == 'UH' or code == 'US' then outcomes[n] = upsert(op.data, op.fence, op)
  elseif code == 'M' then outcomes[n] = merge(op.data, op.fence, op)
  elseif code == 'D' then outcomes[n] = delete(op.data, op.fence, op)
  elseif code == 'X' then outcomes[n] = expire(op.fence, op)
  elseif code == 'F' then outcomes[n] = flush(op.data, op.fence, op)
  else outcomes[n] = member(op.data, op.fence, op) end
end

local expired = {}
for k = 1, #KEYS / 2 do
  expired[k] = finalize(KEYS[2 * k - 1], KEYS[2 * k])
end
for n, op in ipairs(ops) do
  if outcomes[n] == 'applied' and expired[op.k] and op.code ~= 'F' then outcomes[n] = 'expired' end
end
return outcomes
