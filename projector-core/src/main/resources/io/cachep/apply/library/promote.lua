-- cachep's Redis library: promote(KEYS, ARGV), the fenced promote of ONE entry from rebuild's shadow namespace into
-- the live namespace, atomic in Redis. rebuild builds the shadow from the log with apply, beside the running
-- projector, then calls this once per entry. docs/architecture.md ("Rebuild: shadow and fenced promote") explains
-- why readers never see a regression.
--
-- KEYS[1] live data, KEYS[2] live fence, KEYS[3] shadow data, KEYS[4] shadow fence: one entry, one hash tag.
-- ARGV[1]: tombstone retention, ms.
-- ARGV[2..]: the live fence as rebuild read it (field, value pairs), BEFORE it caught the shadow up with the log.
--   Everything the projector had written by then came from an event the shadow has applied too (under the current
--   rules), or from a rule no longer in the file, or it was damaged: either way the shadow's cell is the truth.
--   A live cell that differs from that reading was written since, by the projector: it is kept where its version is
--   newer than the shadow's (the live one "has a newer write"), and loses to the shadow otherwise.
--
-- Each register of the fence (docs/rules.md, "Fencing metadata") is merged on its own, as the fence would merge the
-- two sets of writes: v and d (the whole-entry write) with the content it wrote; f:<field> and m:<member> with their
-- values (read from the side that wins the cell); x and xv (the expiry); t and tf (event times: the latest). Cells not
-- newer than the merged v are dropped, as apply drops them. Fields this script does not know are taken
-- from the shadow. Then expiry and tag invalidation are applied as apply's finalize does, and the live
-- entry and fence are rewritten as the merge, unless they already equal it.
--
-- The shadow fence is then marked promoted (field '~promoted'), so rebuild's pass over the live keys skips it.
--
-- Returns one word: 'promoted' (live rewritten from the shadow), 'unchanged', 'live-newer' (nothing written: every
-- difference was a newer live write), and, for an entry the shadow does not have (the log implies nothing there):
-- 'dropped' (the live data removed), 'cleared' (a live fence without data removed), 'live-newer' (the projector wrote
-- it after rebuild read it: kept).

local function promote(KEYS, ARGV)
  local retention = tonumber(ARGV[1])
  local now = now_ms()
  local LIVE, LIVE_FENCE, SHADOW, SHADOW_FENCE = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
  local CHUNK = 500
  local PROMOTED = '~promoted'

  local function hash_of(key)
    local flat = redis.call('HGETALL', key)
    local t = {}
    for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
    return t
  end

  -- An entry's data: its type and a table (hash: field -> value, set: member -> true, zset: member -> score) or a
  -- string. Types cachep never writes give their name and nil, so they compare unequal and are replaced.
  local function read_data(key)
    local kind = redis.call('TYPE', key).ok
    if kind == 'hash' then return kind, hash_of(key) end
    if kind == 'string' then return kind, redis.call('GET', key) end
    if kind == 'set' then
      local t = {}
      for _, m in ipairs(redis.call('SMEMBERS', key)) do t[m] = true end
      return kind, t
    end
    if kind == 'zset' then
      local flat = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
      local t = {}
      for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
      return kind, t
    end
    return kind, nil
  end

  local function same(a, b)
    for k, v in pairs(a) do if b[k] ~= v then return false end end
    for k in pairs(b) do if a[k] == nil then return false end end
    return true
  end

  -- Writes name/value pairs in chunks: unpack() has a limit on the number of values.
  local function write_pairs(command, key, items, member_first)
    local args = {}
    local function flush()
      if #args > 0 then redis.call(command, key, unpack(args)) end
      args = {}
    end
    for name, value in pairs(items) do
      if member_first == nil then
        args[#args + 1] = name
      elseif member_first then
        args[#args + 1] = name; args[#args + 1] = value
      else
        args[#args + 1] = value; args[#args + 1] = name
      end
      if #args >= CHUNK then flush() end
    end
    flush()
  end

  local readFlat = {}
  for i = 2, #ARGV do readFlat[i - 1] = ARGV[i] end
  local read = fence_of(readFlat)

  -- Either fence may be of layout 1 or 2; fence_of gives both as registers and cells (common.lua).
  local liveFence = fence_of(redis.call('HGETALL', LIVE_FENCE))
  local shadowFence = fence_of(redis.call('HGETALL', SHADOW_FENCE))
  local liveType, live = read_data(LIVE)
  local shadowType, shadow = read_data(SHADOW)
  local hasShadow = next(shadowFence) ~= nil
  shadowFence[PROMOTED] = nil

  -- True when the projector wrote this fence field after rebuild read the live fence.
  local function fresh(name)
    return liveFence[name] ~= nil and liveFence[name] ~= read[name]
  end

  -- The live register wins when it is fresh and strictly newer; on a tie the shadow wins (the current rules).
  local function live_wins(name)
    return fresh(name) and (shadowFence[name] == nil or compare(liveFence[name], shadowFence[name]) > 0)
  end

  local liveNewer = false
  local fence = {}

  -- The whole-entry write (v, d) and the content it left (the data's items that are not cells of that side's fence).
  local baseFence, baseType, baseData = shadowFence, shadowType, shadow
  if live_wins('v') then
    baseFence, baseType, baseData = liveFence, liveType, live
    liveNewer = true
  end
  fence.v, fence.d = baseFence.v, baseFence.d

  local mtype, content = nil, nil
  if baseFence.v and baseType == 'string' then
    mtype, content = 'string', baseData
  elseif baseFence.v and type(baseData) == 'table' then
    local prefix = baseType == 'hash' and 'f:' or 'm:'
    mtype, content = baseType, {}
    for item, value in pairs(baseData) do
      if baseFence[prefix .. item] == nil then content[item] = value end
    end
  end

  -- A field cell belongs in a hash, a member cell in a set or sorted set.
  local function fits(kind, dataType)
    if kind == 'f:' then return dataType == 'hash' end
    return dataType == 'set' or dataType == 'zset'
  end

  -- Field and member cells: each from the side that wins it, dropped when not newer than the whole-entry write.
  local cells = {}
  for name in pairs(shadowFence) do cells[name] = true end
  for name in pairs(liveFence) do cells[name] = true end
  for name in pairs(cells) do
    local kind = string.sub(name, 1, 2)
    if kind == 'f:' or kind == 'm:' then
      local version, fromType, fromData, fromLive
      if live_wins(name) then
        version, fromType, fromData, fromLive = liveFence[name], liveType, live, true
      elseif shadowFence[name] then
        version, fromType, fromData, fromLive = shadowFence[name], shadowType, shadow, false
      end
      if version and (fence.v == nil or compare(version, fence.v) > 0) then
        fence[name] = version
        if fromLive then liveNewer = true end
        local item = string.sub(name, 3)
        local value = nil
        if type(fromData) == 'table' and fits(kind, fromType) then value = fromData[item] end
        if value ~= nil and mtype == nil then mtype, content = fromType, {} end
        if value ~= nil and mtype == fromType then
          content[item] = value
        elseif value == nil and mtype ~= nil and fits(kind, mtype) then
          content[item] = nil
        end
      end
    end
  end

  -- The expiry register (xv is the version that set x; a delete clears x and sets xv).
  local expiryFresh = fresh('xv') or (liveFence.xv ~= nil and liveFence.x ~= read.x)
  if expiryFresh and (shadowFence.xv == nil or compare(liveFence.xv, shadowFence.xv) > 0) then
    fence.x, fence.xv = liveFence.x, liveFence.xv
    liveNewer = true
  else
    fence.x, fence.xv = shadowFence.x, shadowFence.xv
  end

  -- Event times only grow: the latest of the shadow's and a fresh live one.
  local function latest(name)
    local s, l = shadowFence[name], nil
    if fresh(name) then l = liveFence[name] end
    if s and l then
      if tonumber(l) > tonumber(s) then return l end
      return s
    end
    return s or l
  end
  fence.t, fence.tf = latest('t'), latest('tf')

  -- Fields of a newer fence layout than this script knows: the shadow's, else a fresh live one ('~' marks rebuild's own).
  local KNOWN = { v = true, d = true, x = true, xv = true, t = true, tf = true }
  for name, value in pairs(shadowFence) do
    local kind = string.sub(name, 1, 2)
    if not KNOWN[name] and kind ~= 'f:' and kind ~= 'm:' and string.sub(name, 1, 1) ~= '~' then fence[name] = value end
  end
  for name, value in pairs(liveFence) do
    local kind = string.sub(name, 1, 2)
    if not KNOWN[name] and kind ~= 'f:' and kind ~= 'm:' and fence[name] == nil and fresh(name) then fence[name] = value end
  end

  -- As apply's finalize: an expiry that has passed, or a tag invalidation no write is newer than, leaves
  -- no data (the fence stays, so older events stay fenced).
  local x = fence.x and tonumber(fence.x)
  if dropped_by(fence.x, fence.t, fence.tf, text(now)) then
    mtype, content = nil, nil
  end
  if type(content) == 'table' and next(content) == nil then mtype, content = nil, nil end

  local sameData
  if mtype == nil then
    sameData = liveType == 'none'
  elseif mtype ~= liveType then
    sameData = false
  else
    if mtype == 'string' then sameData = content == live else sameData = same(content, live) end
    if sameData then sameData = redis.call('PEXPIRETIME', LIVE) == (x or -1) end
  end

  local written = false
  if not (sameData and same(fence, liveFence)) then
    written = true
    redis.call('DEL', LIVE)
    if mtype == 'string' then
      redis.call('SET', LIVE, content)
    elseif mtype == 'hash' then
      write_pairs('HSET', LIVE, content, true)
    elseif mtype == 'set' then
      write_pairs('SADD', LIVE, content, nil)
    elseif mtype == 'zset' then
      write_pairs('ZADD', LIVE, content, false)
    end
    if mtype and x then redis.call('PEXPIREAT', LIVE, x) end

    local fenceUntil = redis.call('PEXPIRETIME', LIVE_FENCE)
    redis.call('DEL', LIVE_FENCE)
    if next(fence) ~= nil then
      -- As apply: the fence lives as long as data without expiry, else the retention past the expiry (or
      -- past now), so late and replayed older events still find it; never shorter than it was.
      local untilMs = fence_until(fence.x, mtype ~= nil, now, retention)
      if untilMs and fenceUntil > untilMs then untilMs = fenceUntil end
      -- Layout 2: the registers packed in 'b', with the data's type, the fence's expiry and whether cells exist.
      local out, cells = {}, false
      for name, value in pairs(fence) do
        local kind = string.sub(name, 1, 2)
        if kind == 'f:' or kind == 'm:' then cells = true end
        if not KNOWN[name] then out[name] = value end
      end
      out[BASE] = pack_base({ v = fence.v, d = fence.d, x = fence.x, xv = fence.xv, t = fence.t, tf = fence.tf,
                              k = mtype, fx = untilMs and text(untilMs), c = cells and '1' })
      write_pairs('HSET', LIVE_FENCE, out, true)
      if untilMs then redis.call('PEXPIREAT', LIVE_FENCE, untilMs) end
    end
  end

  if hasShadow then
    redis.call('HSET', SHADOW_FENCE, PROMOTED, '1')
    if written then return 'promoted' end
    if liveNewer then return 'live-newer' end
    return 'unchanged'
  end
  if mtype then return 'live-newer' end
  if liveType ~= 'none' then return 'dropped' end
  if written then return 'cleared' end
  return 'unchanged'
end
