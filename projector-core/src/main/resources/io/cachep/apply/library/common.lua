-- cachep's Redis library: what every function shares. RedisLibrary assembles the parts in order into one Redis
-- Functions library (FUNCTION LOAD), whose name carries the fence layout and a digest of the source, so two releases
-- of cachep running side by side each call their own functions.

-- Compares canonical integer strings (versions, epoch ms): a shorter one is smaller; equal lengths compare as text.
-- Lua numbers are doubles and lose precision past 2^53, and Redis prints a Lua number passed to redis.call() with
-- '%.17g', so versions and times stay the text they arrive as.
local function compare(a, b)
  if #a ~= #b then
    if #a < #b then return -1 else return 1 end
  end
  if a == b then return 0 end
  if a < b then return -1 else return 1 end
end

-- Redis's clock, in epoch ms.
local function now_ms()
  local clock = redis.call('TIME')
  return tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
end

-- An integer as canonical text; %d formats it as an integer, without the floating-point printing of %.0f.
local function text(n) return string.format('%d', n) end

-- The fence (layout 2, docs/rules.md "Fencing metadata") keeps its registers packed in one field, 'b', in this order:
--   v   the version of the last whole-entry write (upsert, delete)      d   '1' after a delete
--   x   the expiry, epoch ms                                           xv  the version that set x
--   t   the latest event time of a write                               tf  the latest tag invalidation that reached it
--   k   the type the data key was left with ('hash', 'string', 'set', 'zset'; '' when the library left none)
--   fx  the expiry the fence key itself was given, epoch ms ('' none)   c   '1' when field or member cells may exist
-- beside one field per cell: 'f:<field>' and 'm:<member>', the version of the last write of that field or member.
-- One field instead of six: a fence is read with one HMGET and written with one HSET of one field, and carrying the
-- data key's type and the fence's own expiry spares a TYPE and a PEXPIRETIME per entry and call.
local BASE = 'b'
-- The registers of layout 1, each a field of its own; a fence still in that layout is rewritten on its next write.
local LAYOUT1 = { 'v', 'd', 'x', 'xv', 't', 'tf' }

-- The registers packed in a 'b' field, as a table of name -> value (false when empty).
local function unpack_base(b)
  local v, d, x, xv, t, tf, k, fx, c = string.match(b,
    '^([^,]*),([^,]*),([^,]*),([^,]*),([^,]*),([^,]*),([^,]*),([^,]*),([^,]*)$')
  if not v then error('ERR cachep: a fence field b that is not of layout 2: ' .. b) end
  -- opt() written out: nine calls per fence read are a measurable part of a call's time.
  return { v = v ~= '' and v, d = d ~= '' and d, x = x ~= '' and x, xv = xv ~= '' and xv, t = t ~= '' and t,
           tf = tf ~= '' and tf, k = k ~= '' and k, fx = fx ~= '' and fx, c = c ~= '' and c }
end

-- The 'b' field for a table of registers (false or nil when empty).
local function pack_base(f)
  return (f.v or '') .. ',' .. (f.d or '') .. ',' .. (f.x or '') .. ',' .. (f.xv or '') .. ',' .. (f.t or '') .. ','
      .. (f.tf or '') .. ',' .. (f.k or '') .. ',' .. (f.fx or '') .. ',' .. (f.c or '')
end

-- A fence hash read whole (HGETALL, flattened) as a table of its registers and cells, whatever its layout; its
-- derived registers (k, fx, c) are left out, since whoever writes the fence derives them anew.
local function fence_of(flat)
  local f = {}
  for i = 1, #flat, 2 do f[flat[i]] = flat[i + 1] end
  if f[BASE] then
    local base = unpack_base(f[BASE])
    f[BASE] = nil
    for _, name in ipairs(LAYOUT1) do f[name] = base[name] or nil end
  end
  return f
end

-- How long a fence must live: as long as its entry when the entry has no expiry (untilMs nil), else until the
-- retention past the entry's expiry, or past now for an entry that is gone. nowText: nowMs as text, if known.
local function fence_until(x, exists, nowMs, retention, nowText)
  if not x and exists then return nil end
  if x and compare(x, nowText or text(nowMs)) > 0 then return tonumber(x) + retention end
  return nowMs + retention
end

-- True when a tag invalidation reached an entry and no write is newer.
local function invalidated(t, tf)
  return (tf and t and compare(t, tf) <= 0) or false
end

-- True when an entry with these registers holds no data: its expiry has passed, or it was invalidated.
local function dropped_by(x, t, tf, nowText)
  return (x and compare(x, nowText) <= 0) or invalidated(t, tf)
end
