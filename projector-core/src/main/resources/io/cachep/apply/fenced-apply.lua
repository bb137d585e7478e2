-- cachep: version-fenced apply of the mutations of ONE event that share ONE hash tag.
-- The check and the write are one script, so they are atomic in Redis. docs/rules.md ("Fencing") explains the model.
--
-- KEYS: for each operation i (1-based), KEYS[2i-1] is the data key and KEYS[2i] its fence hash (same hash tag).
-- ARGV[1]: the event's entityversion, as a canonical non-negative integer string (compared as text: Lua numbers are
--          doubles and would lose precision past 2^53).
-- ARGV[2]: tombstone retention in milliseconds.
-- Then each operation: an opcode and its arguments.
--   H expireAt n field1 value1 ... fieldN valueN   upsert: replace the entry with a hash
--   S expireAt value                               upsert: replace the entry with a string
--   D channel                                      delete: remove the entry, leave a tombstone, publish if channel ~= ''
-- expireAt is absolute epoch milliseconds computed from event time, or -1 to keep the entry's current expiry.
-- Returns one outcome per operation: 'applied', 'duplicate', 'stale' or 'expired'.
-- The fence hash holds: v = the version of the entry's last applied write, d = '1' while the entry is a tombstone.

local version = ARGV[1]
local retention = tonumber(ARGV[2])
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

-- 'duplicate' or 'stale' when the entry already holds this version or a newer one; nil when the write may go ahead.
local function fenced(fence)
  local current = redis.call('HGET', fence, 'v')
  if not current then return nil end
  local c = compare(version, current)
  if c == 0 then return 'duplicate' end
  if c < 0 then return 'stale' end
  return nil
end

-- After a write whose data expires at dataExpiry (-1: never), the fence must live at least as long: until then an
-- older event could still be replayed with an expiry in the future and must find the fence.
local function extend_fence(fence, previous, dataExpiry)
  if dataExpiry < 0 then
    redis.call('PERSIST', fence)
  elseif previous ~= -1 and (previous == -2 or previous < dataExpiry) then
    redis.call('PEXPIREAT', fence, dataExpiry)
  end
end

-- A tombstone blocks older writes for the retention, or longer if an older write's expiry reaches further.
local function tombstone(data, fence)
  local previous = redis.call('PEXPIRETIME', fence)
  redis.call('DEL', data)
  redis.call('HSET', fence, 'v', version, 'd', '1')
  local until_ = now + retention
  if previous < until_ then
    redis.call('PEXPIREAT', fence, until_)
  end
end

local function upsert(data, fence, expireAt, write)
  local outcome = fenced(fence)
  if outcome then return outcome end
  if expireAt >= 0 and expireAt <= now then
    -- The entry this version describes has already expired: as of this version the entity has no entry.
    tombstone(data, fence)
    return 'expired'
  end
  local previousFence = redis.call('PEXPIRETIME', fence)
  local dataExpiry = expireAt
  if expireAt < 0 then
    -- No expiry of its own: an overwrite never drops the entry's current TTL.
    dataExpiry = redis.call('PEXPIRETIME', data)
    if dataExpiry == -2 then dataExpiry = -1 end
  end
  redis.call('DEL', data)
  write()
  if dataExpiry >= 0 then redis.call('PEXPIREAT', data, dataExpiry) end
  redis.call('HSET', fence, 'v', version)
  redis.call('HDEL', fence, 'd')
  extend_fence(fence, previousFence, dataExpiry)
  return 'applied'
end

-- Parse every operation and check key types before writing anything: a WRONGTYPE must leave no partial write.
local ops = {}
local i = 3
local n = 0
while i <= #ARGV do
  n = n + 1
  local op = { code = ARGV[i], data = KEYS[2 * n - 1], fence = KEYS[2 * n] }
  if op.code == 'H' then
    op.expireAt = tonumber(ARGV[i + 1])
    local count = tonumber(ARGV[i + 2])
    op.fields = {}
    for j = 1, 2 * count do op.fields[j] = ARGV[i + 2 + j] end
    i = i + 3 + 2 * count
  elseif op.code == 'S' then
    op.expireAt = tonumber(ARGV[i + 1])
    op.value = ARGV[i + 2]
    i = i + 3
  elseif op.code == 'D' then
    op.channel = ARGV[i + 1]
    i = i + 2
  else
    return redis.error_reply('ERR cachep fenced-apply: unknown opcode ' .. tostring(op.code))
  end
  local fenceType = redis.call('TYPE', op.fence).ok
  if fenceType ~= 'none' and fenceType ~= 'hash' then
    return redis.error_reply('WRONGTYPE fence key ' .. op.fence .. ' holds a ' .. fenceType .. ', not a hash')
  end
  local expected = (op.code == 'H' and 'hash') or (op.code == 'S' and 'string') or nil
  if expected then
    local actual = redis.call('TYPE', op.data).ok
    if actual ~= 'none' and actual ~= expected then
      return redis.error_reply('WRONGTYPE key ' .. op.data .. ' holds a ' .. actual .. ', the rule writes a ' .. expected)
    end
  end
  ops[n] = op
end

local outcomes = {}
for k = 1, n do
  local op = ops[k]
  if op.code == 'H' then
    outcomes[k] = upsert(op.data, op.fence, op.expireAt, function() redis.call('HSET', op.data, unpack(op.fields)) end)
  elseif op.code == 'S' then
    outcomes[k] = upsert(op.data, op.fence, op.expireAt, function() redis.call('SET', op.data, op.value) end)
  else
    local outcome = fenced(op.fence)
    if outcome then
      outcomes[k] = outcome
    else
      tombstone(op.data, op.fence)
      if op.channel ~= '' then redis.call('PUBLISH', op.channel, op.data) end
      outcomes[k] = 'applied'
    end
  end
end
return outcomes
