-- cachep: version-fenced apply of a BATCH of events, each applied in turn exactly as if it had a call of its own.
-- The checks and the writes are one script, so they are atomic in Redis. docs/rules.md ("Fencing") explains the model.
--
-- KEYS come in pairs, numbered p = 1, 2, ...: KEYS[2p-1] and KEYS[2p] are either an entry's data key and its fence
-- hash (same hash tag), or a tag's index (sorted set) and its invalidation marker (same hash tag).
-- ARGV[1]: tombstone retention, ms.   ARGV[2]: the number of events. Then each event:
--   version  the event's entityversion, a canonical non-negative integer string (compared as text: Lua numbers are
--            doubles and lose precision past 2^53)
--   time     the event's time, epoch ms
--   n        how many operations follow; each is an opcode, a pair p, and its arguments (expireAt: epoch ms or -1):
--   UH p expireAt n f1 v1 .. fn vn     upsert: replace the entry with a hash
--   US p expireAt value                upsert: replace the entry with a string
--   M  p expireAt n f1 v1 .. m d1 .. dm merge: set n fields, remove m fields, each fenced per field
--   D  p channel                       delete: remove the entry, leave a tombstone, publish the key if channel ~= ''
--   X  p expireAt                      expire: set the entry's expiry
--   SA p expireAt member | SR p member set-add / set-remove, fenced per member
--   ZA p expireAt member score | ZR p member   zset-add / zset-remove, fenced per member
--   F  p flushTime                     a tag invalidation: drop the content if no write is newer (event time)
--   R  p t                             after the event's writes: register entry p under the tag of pair t; if the
--                                      tag was invalidated at or after this event's time, drop the entry as F would
-- Returns, per event, its outcomes (one per operation but R: 'applied', 'duplicate', 'stale' or 'expired'), or a
-- string starting with '!' when the event failed (a WRONGTYPE found before any of its writes, or an error): the
-- other events of the batch are not affected.
--
-- The fence hash holds: v (version of the last whole-entry write: upsert or delete), d ('1' after a delete),
-- f:<field> and m:<member> (version of the last write of that field or member), x and xv (the expiry and the version
-- that set it), t (latest event time of any write), tf (latest tag invalidation time).
--
-- Cost: every redis.call() costs Redis's one thread about a microsecond, so this script makes as few as it can. A
-- fence's fields are read once per batch into a Lua table (one HMGET of the fields the operations need; HGETALL only
-- for a whole-entry write, which must see every cell), changed there, and written back once at the end; each data
-- key's type is asked once and then followed through the writes; an expiry is sent only when it changes. Between
-- calls, a data key's own TTL always equals its fence's x (none without x): finalize() keeps it so, so it need not
-- be read back.

-- Times, expiries and versions stay the canonical integer strings they arrive as, and are compared as text: that
-- spares Redis turning a Lua number passed to redis.call() into text (printf '%.17g') and Lua its own conversions.
local retention = tonumber(ARGV[1])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local nowText = string.format('%d', now)

-- An integer as canonical text; %d formats it as an integer, without the floating-point printing of %.0f.
local function text(n) return string.format('%d', n) end

-- Compares canonical integer strings: a shorter one is smaller; equal lengths compare as text.
local function compare(a, b)
  if #a ~= #b then
    if #a < #b then return -1 else return 1 end
  end
  if a == b then return 0 end
  if a < b then return -1 else return 1 end
end

-- 'duplicate' or 'stale' when `current` (a version, or nil) is version V or newer; nil otherwise.
local function fenced_by(V, current)
  if not current then return nil end
  local c = compare(V, current)
  if c == 0 then return 'duplicate' end
  if c < 0 then return 'stale' end
  return nil
end

-- The batch's view of each pair p.
local fences = {}   -- fence fields known so far: the value, or false when known to be absent
local complete = {} -- true once every field of the fence is known (read with HGETALL)
local changed = {}  -- fence fields to write back
local dropped = {}  -- fence fields to delete
local fenceTtl = {} -- { initial = ms or -1 (none), target = ms or -1 }, once the fence's lifetime is decided
local dtype = {}    -- the data key's type ('none' when absent); nil: unknown, ask Redis
local dttl = {}     -- the expiry on the data key (false: none); nil: unknown, set it whenever the key exists
local loadedX = {}  -- the fence's x as read, before the batch changed it: by the invariant, the data key's TTL
local asked = {}    -- whether the data key's type has been asked yet in this batch

local function data_key(p) return KEYS[2 * p - 1] end
local function fence_key(p) return KEYS[2 * p] end

-- Reads pair p's fence fields that every operation may read (v, d, x, xv, t, tf), once per batch, with one HMGET;
-- returns an error message when the fence key is not a hash. Fields are read, never the whole hash: a set's fence
-- holds a version per member ever written, which HGETALL would read on every call. Written out, not looped: Redis's
-- Lua spends tens of nanoseconds on every table and loop step, and this runs for every entry of every batch.
local function need_base(p)
  if fences[p] then return nil end
  local r = redis.pcall('HMGET', fence_key(p), 'v', 'd', 'x', 'xv', 't', 'tf')
  if r.err then return 'WRONGTYPE fence key ' .. fence_key(p) .. ' is not a hash' end
  fences[p] = { v = r[1] or false, d = r[2] or false, x = r[3] or false, xv = r[4] or false, t = r[5] or false,
                tf = r[6] or false }
  changed[p], dropped[p] = {}, {}
  loadedX[p] = fences[p].x
  return nil
end

-- Makes more fields of pair p's fence known (after need_base), with one HMGET for those that are not.
local function need(p, names)
  if complete[p] then return end
  local f = fences[p]
  local missing = {}
  for _, name in ipairs(names) do
    if f[name] == nil then missing[#missing + 1] = name end
  end
  if #missing == 0 then return end
  local values = redis.call('HMGET', fence_key(p), unpack(missing))
  for i, name in ipairs(missing) do f[name] = values[i] or false end
end

-- Every field of pair p's fence (for a whole-entry write, which must see every field and member version).
local function need_all(p)
  if complete[p] then return end
  local f = fences[p]
  local cells = redis.call('HGETALL', fence_key(p))
  for i = 1, #cells, 2 do
    if f[cells[i]] == nil then f[cells[i]] = cells[i + 1] end -- what the batch already knows or changed wins
  end
  complete[p] = true
end

-- A fence field's value, or nil when absent.
local function fv(p, name)
  local value = fences[p][name]
  if value == nil and not complete[p] then
    value = redis.call('HGET', fence_key(p), name) or false
    fences[p][name] = value
  end
  return value or nil
end

local function fset(p, name, value)
  fences[p][name] = value
  changed[p][name] = true
  dropped[p][name] = nil
end

local function fdel(p, name)
  if fv(p, name) ~= nil then
    fences[p][name] = false
    changed[p][name] = nil
    dropped[p][name] = true
  end
end

-- The first time, before the batch writes the key: by the invariant above, an existing key carries the loaded x.
local function data_type(p)
  if dtype[p] == nil then
    dtype[p] = redis.call('TYPE', data_key(p)).ok
    if not asked[p] then
      asked[p] = true
      dttl[p] = dtype[p] ~= 'none' and loadedX[p] or false
    end
  end
  return dtype[p]
end

-- After a removal the key may be gone (Redis deletes an emptied hash, set or sorted set), taking its TTL with it.
local function removed_from(p)
  dtype[p] = nil
  dttl[p] = nil
end

local function touch_time(p, T)
  local t = fv(p, 't')
  if not t or compare(t, T) < 0 then fset(p, 't', T) end
end

-- The expiry is a register of its own, fenced by the version that set it: an overwrite without an expiry keeps
-- it, an older expiry never replaces a newer one.
local function set_expiry(p, V, expireAt)
  if expireAt == '-1' or fenced_by(V, fv(p, 'xv')) then return end
  fset(p, 'x', expireAt)
  fset(p, 'xv', V)
end

-- A whole-entry write at V replaces every field or member older than V; cells written by newer events survive.
-- Returns the surviving cells (with their current values) and drops the fence entries of the others.
local function clear_older_cells(p, V)
  local data = data_key(p)
  local dt = data_type(p)
  local kept = {}
  need_all(p)
  for name, version in pairs(fences[p]) do
    local kind = string.sub(name, 1, 2)
    if version and (kind == 'f:' or kind == 'm:') then
      local item = string.sub(name, 3)
      if compare(version, V) > 0 then
        if kind == 'f:' then
          kept[#kept + 1] = { 'f', item, redis.call('HGET', data, item) }
        elseif dt == 'zset' then
          kept[#kept + 1] = { 'z', item, redis.call('ZSCORE', data, item) }
        else
          kept[#kept + 1] = { 's', item, redis.call('SISMEMBER', data, item) == 1 }
        end
      else
        fdel(p, name)
      end
    end
  end
  if dt ~= 'none' then redis.call('DEL', data) end
  dtype[p] = 'none'
  dttl[p] = false
  return kept
end

local function restore(p, kept)
  local data = data_key(p)
  for _, cell in ipairs(kept) do
    if cell[3] then
      if cell[1] == 'f' then redis.call('HSET', data, cell[2], cell[3]); dtype[p] = 'hash'
      elseif cell[1] == 'z' then redis.call('ZADD', data, cell[3], cell[2]); dtype[p] = 'zset'
      else redis.call('SADD', data, cell[2]); dtype[p] = 'set' end
    end
  end
end

local function upsert(p, op, V, T)
  touch_time(p, T)
  set_expiry(p, V, op.expireAt)
  local outcome = fenced_by(V, fv(p, 'v'))
  if outcome then return outcome end
  local kept = clear_older_cells(p, V)
  if op.code == 'US' then
    redis.call('SET', data_key(p), op.value)
    dtype[p] = 'string'
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
    if #args > 0 then
      redis.call('HSET', data_key(p), unpack(args))
      dtype[p] = 'hash'
    end
  end
  restore(p, kept)
  fset(p, 'v', V)
  fdel(p, 'd')
  return 'applied'
end

local function delete(p, op, V, T)
  touch_time(p, T)
  local outcome = fenced_by(V, fv(p, 'v'))
  if outcome then return outcome end
  restore(p, clear_older_cells(p, V))
  fset(p, 'v', V)
  fset(p, 'd', '1')
  -- As of this version the entity is gone, expiry included (unless a newer event set one).
  if not fenced_by(V, fv(p, 'xv')) then
    fdel(p, 'x')
    fset(p, 'xv', V)
  end
  if op.channel ~= '' then redis.call('PUBLISH', op.channel, data_key(p)) end
  return 'applied'
end

local function merge(p, op, V, T)
  touch_time(p, T)
  set_expiry(p, V, op.expireAt)
  local outcome = fenced_by(V, fv(p, 'v'))
  if outcome then return outcome end
  local applied, stale = 0, 0
  local sets, removals = {}, {}
  local function field(name, value)
    local r = fenced_by(V, fv(p, 'f:' .. name))
    if r == 'stale' then stale = stale + 1 end
    if r then return end
    if value then
      sets[#sets + 1] = name
      sets[#sets + 1] = value
    else
      removals[#removals + 1] = name
    end
    fset(p, 'f:' .. name, V)
    applied = applied + 1
  end
  for j = 1, #op.fields, 2 do field(op.fields[j], op.fields[j + 1]) end
  for _, name in ipairs(op.removed) do field(name, false) end
  if #sets > 0 then
    redis.call('HSET', data_key(p), unpack(sets))
    dtype[p] = 'hash'
  end
  if #removals > 0 then
    redis.call('HDEL', data_key(p), unpack(removals))
    removed_from(p)
  end
  if applied > 0 then return 'applied' end
  if stale > 0 then return 'stale' end
  return 'duplicate'
end

local function member(p, op, V, T)
  touch_time(p, T)
  if op.code == 'SA' or op.code == 'ZA' then set_expiry(p, V, op.expireAt) end
  local outcome = fenced_by(V, fv(p, 'v')) or fenced_by(V, fv(p, 'm:' .. op.member))
  if outcome then return outcome end
  local data = data_key(p)
  if op.code == 'SA' then redis.call('SADD', data, op.member); dtype[p] = 'set'
  elseif op.code == 'SR' then redis.call('SREM', data, op.member); removed_from(p)
  elseif op.code == 'ZA' then redis.call('ZADD', data, op.score, op.member); dtype[p] = 'zset'
  else redis.call('ZREM', data, op.member); removed_from(p) end
  fset(p, 'm:' .. op.member, V)
  return 'applied'
end

local function expire(p, op, V)
  local outcome = fenced_by(V, fv(p, 'xv'))
  if outcome then return outcome end
  fset(p, 'x', op.expireAt)
  fset(p, 'xv', V)
  return 'applied'
end

local function flush(p, flushTime)
  local tf = fv(p, 'tf')
  if tf and compare(tf, flushTime) >= 0 then return 'duplicate' end
  fset(p, 'tf', flushTime)
  return 'applied'
end

-- The fence's own lifetime: it outlives the data it guards by the retention, so late and replayed older events
-- still find it; it never expires while its entry lives without an expiry. Decided after each event, as a fold:
-- persist, or expire no earlier than any event of the batch asked (after a persist, at what the later ones asked).
local function fold_fence_ttl(p, persist, untilMs)
  local ttl = fenceTtl[p]
  if not ttl then
    local current = redis.call('PEXPIRETIME', fence_key(p))
    if current == -2 then current = -1 end -- no fence yet: the batch creates it, without a TTL
    ttl = { initial = current, target = current }
    fenceTtl[p] = ttl
  end
  if persist then
    ttl.target = -1
  elseif ttl.target < 0 or ttl.target < untilMs then
    ttl.target = untilMs
  end
end

-- Whether pair p's fence holds anything, after the batch's writes so far.
local function fence_exists(p)
  if next(changed[p]) ~= nil then return true end
  for _, value in pairs(fences[p]) do
    if value then return true end
  end
  return not complete[p] and redis.call('EXISTS', fence_key(p)) == 1
end

-- Makes the data key match the fence after an event's writes: expiry, tag invalidation, and the fence's lifetime.
-- Returns true when the entry's expiry has passed.
local function finalize(p)
  if not fence_exists(p) then return false end -- nothing written, no fence: nothing to keep in step
  local x = fv(p, 'x')
  local t, tf = fv(p, 't'), fv(p, 'tf')
  local expired = x and compare(x, nowText) <= 0
  local exists = data_type(p) ~= 'none'
  if expired or (tf and t and compare(t, tf) <= 0) then
    if exists then redis.call('DEL', data_key(p)) end
    dtype[p], dttl[p], exists = 'none', false, false
  elseif exists and x then
    if dttl[p] ~= x then redis.call('PEXPIREAT', data_key(p), x); dttl[p] = x end
  elseif exists then
    if dttl[p] ~= false then redis.call('PERSIST', data_key(p)); dttl[p] = false end
  end
  if not x and exists then
    fold_fence_ttl(p, true)
  else
    local untilMs = now + retention
    if x and compare(x, nowText) > 0 then untilMs = tonumber(x) + retention end
    fold_fence_ttl(p, false, untilMs)
  end
  return expired
end

-- Writes back every fence the batch changed, then its lifetime.
local function write_fences()
  for p, f in pairs(fences) do
    local args = {}
    for name in pairs(changed[p]) do
      args[#args + 1] = name
      args[#args + 1] = f[name]
    end
    if #args > 0 then redis.call('HSET', fence_key(p), unpack(args)) end
    local removals = {}
    for name in pairs(dropped[p]) do removals[#removals + 1] = name end
    if #removals > 0 then redis.call('HDEL', fence_key(p), unpack(removals)) end
    local ttl = fenceTtl[p]
    if ttl and ttl.target ~= ttl.initial then
      if ttl.target < 0 then redis.call('PERSIST', fence_key(p)) else redis.call('PEXPIREAT', fence_key(p), text(ttl.target)) end
    end
  end
end

local EXPECTED_TYPE = { UH = 'hash', M = 'hash', US = 'string', SA = 'set', SR = 'set', ZA = 'zset', ZR = 'zset' }

-- Reads one event's operations from ARGV at i; returns them and the index after them.
local function parse(i, count)
  local ops = {}
  for _ = 1, count do
    local op = { code = ARGV[i], p = tonumber(ARGV[i + 1]) }
    local code = op.code
    i = i + 2
    if code == 'UH' or code == 'M' then
      op.expireAt = ARGV[i]
      local n = tonumber(ARGV[i + 1])
      op.fields = {}
      for j = 1, 2 * n do op.fields[j] = ARGV[i + 1 + j] end
      i = i + 2 + 2 * n
      op.removed = {}
      if code == 'M' then
        local removals = tonumber(ARGV[i])
        for j = 1, removals do op.removed[j] = ARGV[i + j] end
        i = i + 1 + removals
      end
    elseif code == 'US' then
      op.expireAt = ARGV[i]; op.value = ARGV[i + 1]; i = i + 2
    elseif code == 'D' then
      op.channel = ARGV[i]; i = i + 1
    elseif code == 'X' then
      op.expireAt = ARGV[i]; i = i + 1
    elseif code == 'SA' then
      op.expireAt = ARGV[i]; op.member = ARGV[i + 1]; i = i + 2
    elseif code == 'ZA' then
      op.expireAt = ARGV[i]; op.member = ARGV[i + 1]; op.score = ARGV[i + 2]; i = i + 3
    elseif code == 'SR' or code == 'ZR' then
      op.member = ARGV[i]; i = i + 1
    elseif code == 'F' then
      op.flushTime = ARGV[i]; i = i + 1
    elseif code == 'R' then
      op.tag = tonumber(ARGV[i]); i = i + 1
    else
      error('ERR cachep fenced-apply: unknown opcode ' .. tostring(code))
    end
    ops[#ops + 1] = op
  end
  return ops, i
end

-- Before any write of the event: every fence is a hash and every data key holds the type its rule writes. Also
-- reads the fence fields the operations will need: the common ones in one HMGET per entry and batch, a member's or
-- merged fields' own in one more.
local function check_types(ops)
  for _, op in ipairs(ops) do
    local code, p = op.code, op.p
    if code ~= 'R' then
      local problem = need_base(p)
      if problem then return problem end
      if op.member then
        fv(p, 'm:' .. op.member)
      elseif code == 'M' then
        local names = {}
        for j = 1, #op.fields, 2 do names[#names + 1] = 'f:' .. op.fields[j] end
        for _, name in ipairs(op.removed) do names[#names + 1] = 'f:' .. name end
        need(p, names)
      end
      local expected = EXPECTED_TYPE[code]
      if expected then
        local actual = data_type(p)
        if actual ~= 'none' and actual ~= expected then
          return 'WRONGTYPE key ' .. data_key(p) .. ' holds a ' .. actual .. ', the rule writes a ' .. expected
        end
      end
    end
  end
  return nil
end

local flushedAt = {} -- per tag pair: its invalidation marker, read once

-- Registers entry p under tag pair t; drops the entry when the tag was invalidated at or after this event's time.
local function register(p, t, T)
  redis.call('ZADD', KEYS[2 * t - 1], 'GT', T, data_key(p))
  if flushedAt[t] == nil then flushedAt[t] = redis.call('GET', KEYS[2 * t]) or false end
  local at = flushedAt[t]
  if at and compare(at, T) >= 0 then
    flush(p, at)
    finalize(p)
  end
end

local function apply_event(V, T, ops)
  local problem = check_types(ops)
  if problem then return '!' .. problem end
  local outcomes, touched, order = {}, {}, {}
  for _, op in ipairs(ops) do
    local code, p = op.code, op.p
    if code ~= 'R' then
      if code == 'UH' or code == 'US' then outcomes[#outcomes + 1] = upsert(p, op, V, T)
      elseif code == 'M' then outcomes[#outcomes + 1] = merge(p, op, V, T)
      elseif code == 'D' then outcomes[#outcomes + 1] = delete(p, op, V, T)
      elseif code == 'X' then outcomes[#outcomes + 1] = expire(p, op, V)
      elseif code == 'F' then outcomes[#outcomes + 1] = flush(p, op.flushTime)
      else outcomes[#outcomes + 1] = member(p, op, V, T) end
      if not touched[p] then touched[p] = true; order[#order + 1] = p end
    end
  end
  local expired = {}
  for _, p in ipairs(order) do expired[p] = finalize(p) end
  local n = 0
  for _, op in ipairs(ops) do
    if op.code ~= 'R' then
      n = n + 1
      if outcomes[n] == 'applied' and expired[op.p] and op.code ~= 'F' then outcomes[n] = 'expired' end
    end
  end
  for _, op in ipairs(ops) do
    if op.code == 'R' then register(op.p, op.tag, T) end
  end
  return outcomes
end

local results = {}
local i = 3
for e = 1, tonumber(ARGV[2]) do
  local V, T, count = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  local ops
  ops, i = parse(i + 3, count)
  -- One event's failure (a bug, or a rule writing two types to one key) must not fail the others in the batch.
  local ok, result = pcall(apply_event, V, T, ops)
  if ok then results[e] = result else results[e] = '!' .. tostring(type(result) == 'table' and result.err or result) end
end
write_fences()
return results
