-- cachep-client's read: an entry and its version in one atomic, read-only call (EVAL_RO), so the value and the
-- version it is returned with always belong together. The projector writes an entry and its fence in one atomic
-- call, so a reader that read them with two commands could pair a value with another write's version.
--   KEYS[1] the entry (<namespace>:<key>), KEYS[2] its fence (<namespace>:~fence:<key>); same hash tag, same slot.
-- Returns { type, pttl, version, deleted, value }:
--   type     'hash', 'string', 'set', 'zset', 'none', or another Redis type (the client refuses those)
--   pttl     the entry's remaining time to live in ms, -1 for none, -2 when absent
--   version  the highest version the fence records (the entry's own, its expiry's, any field's or member's), or ''
--            when there is no fence: docs/rules.md "Fencing metadata"
--   deleted  '1' when the last whole-entry write was a delete
--   value    hash: field, value, ...; string: { text }; set: members; zset: member, score, ... in score order

-- Canonical integer strings compare by length, then as text: versions may be past Lua's exact doubles (2^53).
local function newer(a, b)
  if not b or b == '' then return a ~= nil and a ~= '' end
  if not a or a == '' then return false end
  if #a ~= #b then return #a > #b end
  return a > b
end

local entry, fence = KEYS[1], KEYS[2]
local kind = redis.call('TYPE', entry)['ok']
local value = {}
if kind == 'hash' then value = redis.call('HGETALL', entry)
elseif kind == 'string' then value = { redis.call('GET', entry) }
elseif kind == 'set' then value = redis.call('SMEMBERS', entry)
elseif kind == 'zset' then value = redis.call('ZRANGE', entry, 0, -1, 'WITHSCORES')
end
local pttl = redis.call('PTTL', entry)

local version, deleted = '', ''
local cells = redis.call('HGETALL', fence)
for i = 1, #cells, 2 do
  local name, v = cells[i], cells[i + 1]
  if name == 'b' then
    -- layout 2: v,d,x,xv,t,tf,k,fx,c
    local whole, d, _, xv = string.match(v, '^([^,]*),([^,]*),([^,]*),([^,]*),')
    if newer(whole, version) then version = whole end
    if newer(xv, version) then version = xv end
    deleted = d or ''
  elseif name == 'v' or name == 'xv' or string.sub(name, 1, 2) == 'f:' or string.sub(name, 1, 2) == 'm:' then
    -- layout 1 registers, and the per-field and per-member cells of both layouts
    if newer(v, version) then version = v end
  elseif name == 'd' then
    deleted = v
  end
end
return { kind, pttl, version, deleted, value }
