-- cachep's Redis library: apply(KEYS, ARGV), the version-fenced apply of a BATCH of events, each applied in turn
-- exactly as if it had a call of its own. The checks and the writes are one function call, so they are atomic in
-- Redis. docs/rules.md ("Fencing") explains the model.
--
-- KEYS come in pairs, numbered p = 1, 2, ...: KEYS[2p-1] and KEYS[2p] are either an entry's data key and its fence
-- hash (same hash tag), or a tag's index (sorted set) and its invalidation marker (same hash tag).
-- ARGV[1]: tombstone retention, ms.   ARGV[2]: the number of events. Then each event:
--   version  the event's entityversion, a canonical non-negative integer string (compared as text, see compare)
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
--   R  p t floor                       after the event's writes: register entry p under the tag of pair t; if the
--                                      tag was invalidated at or after this event's time, drop the entry as F would.
--                                      floor ('' for none) is an invalidation time the pair's marker must be at
--                                      least: on a Redis Cluster, the tag's global marker, when this slot's index
--                                      shard was just announced (docs/architecture.md, "Tags across slots")
-- Returns, per event, one letter per operation but R ('a' applied, 'd' duplicate, 's' stale, 'e' expired), or a
-- string starting with '!' when the event failed (a WRONGTYPE found before any of its writes, or an error): the
-- other events of the batch are not affected.
--
-- Cost: Redis's one thread runs this for every event, and every redis.call() costs it about a microsecond, so the
-- function makes as few as it can. Each fence is read once per call, with one HMGET of its packed registers and the
-- cells the operations need (HGETALL only for a whole-entry write on an entry that has cells), changed in a Lua
-- table, and written back once at the end. The data key's type comes from the fence (k), not from TYPE, and its
-- expiry is known to equal the fence's x (none without x), which every call keeps true, so neither is read back;
-- the fence's own expiry is in the fence too (fx), and is pushed forward only in steps of FENCE_SLACK_MS.
-- The Lua around the commands costs Redis more than the commands do (docs/benchmarks.md: tables, strings and their
-- garbage first), so the function also makes few of them per event: an operation's fields stay in ARGV, cell tables
-- exist only for entries with cells, and a one-operation event skips the multi-operation bookkeeping.

-- Per call: reset at the start of every call (a Redis library's functions run one at a time, never interleaved).
local K, A             -- the call's KEYS and ARGV (an operation's fields stay in ARGV: op.a, op.n, op.ra, op.rn)
local retention        -- tombstone retention, ms
local now, nowText     -- Redis's clock at the start of the call, epoch ms
local F                -- per pair: the fence's registers and the cells known so far (value, or false when absent)
local complete         -- per pair: true once every cell of the fence is known
local dirty            -- per pair: the packed registers changed
local changed, dropped -- per pair: cells to write, cells to delete (each made when the first cell is; a table costs
                       -- Redis's Lua more than most of what the function does with it)
local legacy           -- per pair: the fence was of layout 1 (registers in fields of their own, to delete)
local dk               -- per pair: the data key's type as far as this call knows (false: it holds none)
local dttl             -- per pair: the expiry on the data key (false: none; nil: unknown, the key may be new)
local unsure           -- per pair: an operation removed items, so the data key may be gone (emptied)
local fenceTtl         -- per pair: the fence's lifetime, once decided: epoch ms, or -1 for none
local slack            -- how far past what its entry needs a fence's expiry is set, ms (see FENCE_SLACK_MS)
local flushedAt        -- per tag pair: its invalidation marker, read once

-- The fence's expiry moves forward in steps: it is set this much past what the entry needs (at most an eighth of
-- the retention), so an entry whose expiry keeps moving (a session refreshed every few minutes) does not cost a
-- PEXPIREAT of its fence on every event. A fence that lives a little longer only blocks late events a little longer.
local FENCE_SLACK_MS = 3600000

local function data_key(p) return K[2 * p - 1] end
local function fence_key(p) return K[2 * p] end

-- The outcomes, as the letters the caller reads (ApplyOutcome).
local APPLIED, DUPLICATE, STALE, EXPIRED = 'a', 'd', 's', 'e'

-- DUPLICATE or STALE when `current` (a version, or false) is version V or newer; nil otherwise.
local function fenced_by(V, current)
  if not current then return nil end
  local c = compare(V, current)
  if c == 0 then return DUPLICATE end
  if c < 0 then return STALE end
  return nil
end

-- Rewrites a fence of layout 1 (registers in fields of their own) into this call's view, once; every cell is read.
local function migrate(p, f)
  local flat = redis.call('HGETALL', fence_key(p))
  for i = 1, #flat, 2 do
    local name = flat[i]
    local kind = string.sub(name, 1, 2)
    if kind == 'f:' or kind == 'm:' then f.c = '1' end
    f[name] = flat[i + 1]
  end
  local kind = redis.call('TYPE', data_key(p)).ok
  f.k = kind ~= 'none' and kind or false
  local until_ = redis.call('PEXPIRETIME', fence_key(p))
  f.fx = until_ > 0 and text(until_) or false
  legacy[p], complete[p], dirty[p] = true, true, true
end

-- Reads pair p's fence, once per call, with the cells in `names`: one HMGET. Returns an error message when the fence
-- key is not a hash. The same HMGET asks for the registers of layout 1 that every fence of that layout has one of
-- (each of its writes set t, xv or tf), so telling a new entry from an old fence costs no EXISTS. A pair without a
-- fence is a new entry: its data key's type is asked (a key cachep did not write may be there), and there are no
-- cells; nor are there when the fence says so (c), so no cell is asked for again.
local LEGACY_PROBE = 4
local function load(p, names)
  local r = redis.pcall('HMGET', fence_key(p), BASE, 't', 'xv', 'tf', unpack(names))
  if r.err then return 'WRONGTYPE fence key ' .. fence_key(p) .. ' is not a hash' end
  local f
  if r[1] then
    f = unpack_base(r[1])
    if not f.c then complete[p] = true end
  else
    f = { v = false, d = false, x = false, xv = false, t = false, tf = false, k = false, fx = false, c = false }
    if r[2] or r[3] or r[4] then
      migrate(p, f)
    else
      local kind = redis.call('TYPE', data_key(p)).ok
      f.k = kind ~= 'none' and kind or false
      complete[p] = true
    end
  end
  for i, name in ipairs(names) do
    if f[name] == nil then f[name] = r[i + LEGACY_PROBE] or false end
  end
  F[p] = f
  dk[p] = f.k
  dttl[p] = f.k and f.x or false
  return nil
end

-- Makes more cells of pair p's fence known (after load), with one HMGET for those that are not.
local function need(p, names)
  if complete[p] then return end
  local f = F[p]
  local missing = {}
  for _, name in ipairs(names) do
    if f[name] == nil then missing[#missing + 1] = name end
  end
  if #missing == 0 then return end
  local values = redis.call('HMGET', fence_key(p), unpack(missing))
  for i, name in ipairs(missing) do f[name] = values[i] or false end
end

-- Every cell of pair p's fence (for a whole-entry write, which must see every field and member version). Nothing
-- to read when the fence says it has none.
local function need_all(p)
  if complete[p] then return end
  local f = F[p]
  if f.c then
    local flat = redis.call('HGETALL', fence_key(p))
    for i = 1, #flat, 2 do
      local name = flat[i]
      if name ~= BASE and f[name] == nil then f[name] = flat[i + 1] end -- what the call knows or changed wins
    end
  end
  complete[p] = true
end

-- A cell's value, or false when absent.
local function cell(p, name)
  local value = F[p][name]
  if value == nil then
    if complete[p] then return false end
    value = redis.call('HGET', fence_key(p), name) or false
    F[p][name] = value
  end
  return value
end

local function set_register(p, name, value)
  if F[p][name] ~= value then
    F[p][name] = value
    dirty[p] = true
  end
end

local function set_cell(p, name, value)
  F[p][name] = value
  local cells = changed[p]
  if not cells then cells = {}; changed[p] = cells end
  cells[name] = true
  if dropped[p] then dropped[p][name] = nil end
  set_register(p, 'c', '1')
end

local function drop_cell(p, name)
  if cell(p, name) then
    F[p][name] = false
    if changed[p] then changed[p][name] = nil end
    local cells = dropped[p]
    if not cells then cells = {}; dropped[p] = cells end
    cells[name] = true
  end
end

-- The data key now holds `kind`. Created by this write when the call knew it held nothing, so with no expiry; and
-- when it held one with an expiry, it may have been created anyway (evicted, or deleted behind cachep's back), so
-- that expiry is no longer known to be on it: finalize sets it again.
local function wrote(p, kind)
  if not dk[p] then dttl[p] = false elseif dttl[p] then dttl[p] = nil end
  dk[p] = kind
end

local function touch_time(p, T)
  local t = F[p].t
  if not t or compare(t, T) < 0 then set_register(p, 't', T) end
end

-- The expiry is a register of its own, fenced by the version that set it: an overwrite without an expiry keeps
-- it, an older expiry never replaces a newer one.
local function set_expiry(p, V, expireAt)
  if expireAt == '-1' or fenced_by(V, F[p].xv) then return end
  set_register(p, 'x', expireAt)
  set_register(p, 'xv', V)
end

local NONE = {}
-- The bytes ':', 'f' and 'm' (string is not reachable while Redis loads a library, so they are written out).
local COLON, F_BYTE, M_BYTE = 58, 102, 109

-- A whole-entry write at V replaces every field or member older than V; cells written by newer events survive.
-- Returns the surviving cells (with their current values) and drops the fence entries of the others.
local function clear_older_cells(p, V)
  local data = data_key(p)
  need_all(p)
  local kept = NONE
  if F[p].c then
    kept = {}
    for name, version in pairs(F[p]) do
      -- Cells are 'f:<field>' and 'm:<member>'; string.byte tells them from registers without making strings.
      if version and string.byte(name, 2) == COLON then
        local kind = string.byte(name, 1)
        local item = string.sub(name, 3)
        if compare(version, V) > 0 then
          if kind == F_BYTE then
            kept[#kept + 1] = { 'f', item, redis.call('HGET', data, item) }
          elseif dk[p] == 'zset' then
            kept[#kept + 1] = { 'z', item, redis.call('ZSCORE', data, item) }
          else
            kept[#kept + 1] = { 's', item, redis.call('SISMEMBER', data, item) == 1 }
          end
        elseif kind == F_BYTE or kind == M_BYTE then
          drop_cell(p, name)
        end
      end
    end
    if #kept == 0 then set_register(p, 'c', false) end
  end
  if dk[p] then redis.call('DEL', data) end
  dk[p], dttl[p], unsure[p] = false, false, nil
  return kept
end

local function restore(p, kept)
  local data = data_key(p)
  for _, item in ipairs(kept) do
    if item[3] then
      if item[1] == 'f' then redis.call('HSET', data, item[2], item[3]); wrote(p, 'hash')
      elseif item[1] == 'z' then redis.call('ZADD', data, item[3], item[2]); wrote(p, 'zset')
      else redis.call('SADD', data, item[2]); wrote(p, 'set') end
    end
  end
end

local function upsert(p, op, V, T)
  touch_time(p, T)
  set_expiry(p, V, op.expireAt)
  local outcome = fenced_by(V, F[p].v)
  if outcome then return outcome end
  local kept = clear_older_cells(p, V)
  if op.code == 'US' then
    redis.call('SET', data_key(p), op.value)
    wrote(p, 'string')
  elseif #kept == 0 then
    if op.n > 0 then
      redis.call('HSET', data_key(p), unpack(A, op.a, op.a + 2 * op.n - 1))
      wrote(p, 'hash')
    end
  else
    local newer = {}
    for _, item in ipairs(kept) do if item[1] == 'f' then newer[item[2]] = true end end
    local args = {}
    for j = op.a, op.a + 2 * op.n - 1, 2 do
      if not newer[A[j]] then
        args[#args + 1] = A[j]
        args[#args + 1] = A[j + 1]
      end
    end
    if #args > 0 then
      redis.call('HSET', data_key(p), unpack(args))
      wrote(p, 'hash')
    end
  end
  if #kept > 0 then restore(p, kept) end
  set_register(p, 'v', V)
  set_register(p, 'd', false)
  return APPLIED
end

local function delete(p, op, V, T)
  touch_time(p, T)
  local outcome = fenced_by(V, F[p].v)
  if outcome then return outcome end
  restore(p, clear_older_cells(p, V))
  set_register(p, 'v', V)
  set_register(p, 'd', '1')
  -- As of this version the entity is gone, expiry included (unless a newer event set one).
  if not fenced_by(V, F[p].xv) then
    set_register(p, 'x', false)
    set_register(p, 'xv', V)
  end
  if op.channel ~= '' then redis.call('PUBLISH', op.channel, data_key(p)) end
  return APPLIED
end

local function merge(p, op, V, T)
  touch_time(p, T)
  set_expiry(p, V, op.expireAt)
  local outcome = fenced_by(V, F[p].v)
  if outcome then return outcome end
  local applied, stale = 0, 0
  local sets, removals = {}, {}
  local cells, n = op.cells, op.n
  -- cells[j] is the cell of the j-th field: the n set ones (name, value at op.a), then the removed ones (at op.ra).
  for j = 1, #cells do
    local r = fenced_by(V, cell(p, cells[j]))
    if r == STALE then
      stale = stale + 1
    elseif not r then
      if j <= n then
        local at = op.a + 2 * (j - 1)
        sets[#sets + 1] = A[at]
        sets[#sets + 1] = A[at + 1]
      else
        removals[#removals + 1] = A[op.ra + j - n - 1]
      end
      set_cell(p, cells[j], V)
      applied = applied + 1
    end
  end
  if #sets > 0 then
    redis.call('HSET', data_key(p), unpack(sets))
    wrote(p, 'hash')
  end
  if #removals > 0 then
    redis.call('HDEL', data_key(p), unpack(removals))
    unsure[p] = true
  end
  if applied > 0 then return APPLIED end
  if stale > 0 then return STALE end
  return DUPLICATE
end

local function member(p, op, V, T)
  touch_time(p, T)
  if op.code == 'SA' or op.code == 'ZA' then set_expiry(p, V, op.expireAt) end
  local outcome = fenced_by(V, F[p].v) or fenced_by(V, cell(p, 'm:' .. op.member))
  if outcome then return outcome end
  local data = data_key(p)
  if op.code == 'SA' then redis.call('SADD', data, op.member); wrote(p, 'set')
  elseif op.code == 'SR' then redis.call('SREM', data, op.member); unsure[p] = true
  elseif op.code == 'ZA' then redis.call('ZADD', data, op.score, op.member); wrote(p, 'zset')
  else redis.call('ZREM', data, op.member); unsure[p] = true end
  set_cell(p, 'm:' .. op.member, V)
  return APPLIED
end

local function expire(p, op, V)
  local outcome = fenced_by(V, F[p].xv)
  if outcome then return outcome end
  set_register(p, 'x', op.expireAt)
  set_register(p, 'xv', V)
  return APPLIED
end

local function flush(p, flushTime)
  local tf = F[p].tf
  if tf and compare(tf, flushTime) >= 0 then return DUPLICATE end
  set_register(p, 'tf', flushTime)
  return APPLIED
end

-- The fence's own lifetime (fence_until, -1 for none), decided after each event, as a fold: persist, or expire no
-- earlier than any event of the call asked (after a persist, at what the later ones asked).
local function fold_fence_ttl(p, untilMs)
  local target = untilMs or -1
  local folded = fenceTtl[p]
  if target < 0 or not folded or folded < target then fenceTtl[p] = target end
end

-- Whether pair p's fence holds anything, after the call's writes so far.
local function fence_exists(p)
  local f = F[p]
  return dirty[p] or (changed[p] and next(changed[p]) ~= nil) or f.v or f.xv or f.t or f.tf or f.c or false
end

-- Makes the data key match the fence after an event's writes: expiry, tag invalidation, and the fence's lifetime.
-- Returns true when the entry's expiry has passed.
local function finalize(p)
  if not fence_exists(p) then return false end -- nothing written, no fence: nothing to keep in step
  local f = F[p]
  local x = f.x
  if unsure[p] and dk[p] then
    if redis.call('EXISTS', data_key(p)) == 0 then dk[p], dttl[p] = false, false end
    unsure[p] = nil
  end
  local expired = (x and compare(x, nowText) <= 0) or false
  if expired or invalidated(f.t, f.tf) then
    if dk[p] then redis.call('DEL', data_key(p)) end
    dk[p], dttl[p] = false, false
  elseif dk[p] and x then
    if dttl[p] ~= x then redis.call('PEXPIREAT', data_key(p), x); dttl[p] = x end
  elseif dk[p] and dttl[p] then
    redis.call('PERSIST', data_key(p)); dttl[p] = false
  end
  set_register(p, 'k', dk[p])
  fold_fence_ttl(p, fence_until(x, dk[p], now, retention, nowText))
  return expired
end

-- Writes back every fence the call changed: its packed registers, its cells, its lifetime.
local function write_fences()
  for p, f in pairs(F) do
    local target = fenceTtl[p]
    local persist, extend = false, false
    if target then
      if target < 0 then
        if f.fx then set_register(p, 'fx', false); persist = true end
      elseif not f.fx or tonumber(f.fx) < target then
        set_register(p, 'fx', text(target + slack))
        extend = true
      end
    end
    local key = fence_key(p)
    local written, removed = changed[p], dropped[p]
    if not written or next(written) == nil then
      if dirty[p] then redis.call('HSET', key, BASE, pack_base(f)) end
    else
      local args = {}
      if dirty[p] then
        args[1] = BASE
        args[2] = pack_base(f)
      end
      for name in pairs(written) do
        args[#args + 1] = name
        args[#args + 1] = f[name]
      end
      redis.call('HSET', key, unpack(args))
    end
    if (removed and next(removed) ~= nil) or legacy[p] then
      local removals = {}
      for name in pairs(removed or NONE) do removals[#removals + 1] = name end
      if legacy[p] then
        for _, name in ipairs(LAYOUT1) do removals[#removals + 1] = name end
      end
      redis.call('HDEL', key, unpack(removals))
    end
    if persist then
      redis.call('PERSIST', key)
    elseif extend then
      redis.call('PEXPIREAT', key, f.fx)
    end
  end
end

local EXPECTED_TYPE = { UH = 'hash', M = 'hash', US = 'string', SA = 'set', SR = 'set', ZA = 'zset', ZR = 'zset' }

-- Reads one event's operations from ARGV at i; returns them and the index after them.
local function parse(ARGV, i, count)
  local ops = {}
  for _ = 1, count do
    local op = { code = ARGV[i], p = tonumber(ARGV[i + 1]) }
    local code = op.code
    i = i + 2
    if code == 'UH' or code == 'M' then
      op.expireAt = ARGV[i]
      local n = tonumber(ARGV[i + 1])
      op.a, op.n = i + 2, n
      i = i + 2 + 2 * n
      if code == 'M' then
        op.ra, op.rn = i + 1, tonumber(ARGV[i])
        i = i + 1 + op.rn
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
      op.tag = tonumber(ARGV[i]); op.floor = ARGV[i + 1]; i = i + 2
    else
      error('ERR cachep apply: unknown opcode ' .. tostring(code))
    end
    ops[#ops + 1] = op
  end
  return ops, i
end

-- The cells an operation reads: its member's, or its merged fields' (kept in op.cells for merge).
local function cells_of(op)
  if op.member then return { 'm:' .. op.member } end
  if op.code ~= 'M' then return NONE end
  local names = {}
  for j = op.a, op.a + 2 * op.n - 1, 2 do names[#names + 1] = 'f:' .. A[j] end
  for j = op.ra, op.ra + op.rn - 1 do names[#names + 1] = 'f:' .. A[j] end
  op.cells = names
  return names
end

-- Before any write of the event: every fence is a hash and every data key holds the type its rule writes; reads the
-- fences and the cells the operations need.
local function check_types(ops)
  for _, op in ipairs(ops) do
    local code, p = op.code, op.p
    if code ~= 'R' then
      if F[p] then
        need(p, cells_of(op))
      else
        local problem = load(p, cells_of(op))
        if problem then return problem end
      end
      local expected = EXPECTED_TYPE[code]
      if expected and dk[p] and dk[p] ~= expected then
        -- The fence's record may be out of date (the key was emptied, or expired): Redis says what is there.
        local actual = redis.call('TYPE', data_key(p)).ok
        if actual == 'none' then
          dk[p], dttl[p] = false, false
        elseif actual ~= expected then
          return 'WRONGTYPE key ' .. data_key(p) .. ' holds a ' .. actual .. ', the rule writes a ' .. expected
        else
          dk[p] = actual
        end
      end
    end
  end
  return nil
end

-- Registers entry p under tag pair t; drops the entry when the tag was invalidated at or after this event's time.
-- A floor above the pair's marker is written to it first, so every later write on this slot meets it too.
local function register(p, t, T, floor)
  redis.call('ZADD', K[2 * t - 1], 'GT', T, data_key(p))
  if flushedAt[t] == nil then flushedAt[t] = redis.call('GET', K[2 * t]) or false end
  if floor ~= '' and (not flushedAt[t] or compare(floor, flushedAt[t]) > 0) then
    redis.call('SET', K[2 * t], floor)
    flushedAt[t] = floor
  end
  local at = flushedAt[t]
  if at and compare(at, T) >= 0 then
    flush(p, at)
    finalize(p)
  end
end

local function flush_op(p, op) return flush(p, op.flushTime) end
local OPERATION = { UH = upsert, US = upsert, M = merge, D = delete, X = expire, F = flush_op, SA = member,
                    SR = member, ZA = member, ZR = member }

local function apply_event(V, T, ops)
  local problem = check_types(ops)
  if problem then return '!' .. problem end
  if #ops == 1 then -- most events: one operation, the same as below without its bookkeeping
    local op = ops[1]
    local letter = OPERATION[op.code](op.p, op, V, T)
    if finalize(op.p) and letter == APPLIED and op.code ~= 'F' then letter = EXPIRED end
    return letter
  end
  local letters, pairsTouched = {}, {}
  local n = 0
  for _, op in ipairs(ops) do
    local code, p = op.code, op.p
    if code ~= 'R' then
      n = n + 1
      letters[n] = OPERATION[code](p, op, V, T)
      local seen = false
      for _, q in ipairs(pairsTouched) do if q == p then seen = true end end
      if not seen then pairsTouched[#pairsTouched + 1] = p end
    end
  end
  local expired = {}
  for _, p in ipairs(pairsTouched) do expired[p] = finalize(p) end
  n = 0
  local tagged = false
  for _, op in ipairs(ops) do
    if op.code == 'R' then
      tagged = true
    else
      n = n + 1
      if letters[n] == APPLIED and expired[op.p] and op.code ~= 'F' then letters[n] = EXPIRED end
    end
  end
  if tagged then
    for _, op in ipairs(ops) do
      if op.code == 'R' then register(op.p, op.tag, T, op.floor) end
    end
  end
  return table.concat(letters)
end

local function apply(KEYS, ARGV)
  K, A, retention = KEYS, ARGV, tonumber(ARGV[1])
  slack = math.min(FENCE_SLACK_MS, math.floor(retention / 8))
  now = now_ms()
  nowText = text(now)
  F, complete, dirty, changed, dropped, legacy = {}, {}, {}, {}, {}, {}
  dk, dttl, unsure, fenceTtl, flushedAt = {}, {}, {}, {}, {}
  local results = {}
  local i = 3
  for e = 1, tonumber(ARGV[2]) do
    local V, T, count = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
    local ops
    ops, i = parse(ARGV, i + 3, count)
    -- One event's failure (a bug, or a rule writing two types to one key) must not fail the others in the batch.
    local ok, result = pcall(apply_event, V, T, ops)
    if ok then results[e] = result else results[e] = '!' .. tostring(type(result) == 'table' and result.err or result) end
  end
  write_fences()
  return results
end

-- apply_across_slots(KEYS, ARGV): on a Redis Cluster, one call for all the slots one node serves in a batch, so a
-- batch costs a call per node rather than per slot (registered with allow-cross-slot-keys). KEYS[1] only routes the
-- call; ARGV[1] is the number of keys n, ARGV[2..n+1] the keys as apply takes them, then apply's own ARGV. Every key
-- is touched before anything is written: a key this node does not serve, or no longer has (its slot moved, or is
-- moving away), fails the whole call at once ("non local key"), which the caller retries after reading the topology.
local function apply_across_slots(KEYS, ARGV)
  local n = tonumber(ARGV[1])
  local keys, args = {}, {}
  for i = 1, n do
    keys[i] = ARGV[i + 1]
    redis.call('EXISTS', keys[i])
  end
  for i = n + 2, #ARGV do args[#args + 1] = ARGV[i] end
  return apply(keys, args)
end
