-- cachep's Redis library: tag_index(KEYS, ARGV), the index of one tag. KEYS[1]: sorted set of data keys registered
-- under the tag, scored by the event time of their latest tagged write. KEYS[2]: the latest time the tag was
-- invalidated. Same hash tag.
-- ARGV[1] is the operation:
--   R time dataKey [time dataKey ...]
--                    register writes (one ZADD): returns the invalidation time ('' if never), so the caller can drop
--                    a write that an invalidation processed earlier already covers
--   F time           invalidate: record the time; return '1' if that moved the marker forward ('0' for a repeat),
--                    then the data keys registered at or before it
--   C time           forget the registrations an invalidation has dealt with
--   S time           on a Redis Cluster, KEYS[1] alone is the tag's registry: the slots that have an index shard
local function tag_index(KEYS, ARGV)
  local op = ARGV[1]
  local time = tonumber(ARGV[2])
  if op == 'R' then
    if #ARGV == 3 then
      redis.call('ZADD', KEYS[1], 'GT', time, ARGV[3])
    else
      redis.call('ZADD', KEYS[1], 'GT', unpack(ARGV, 2))
    end
    return redis.call('GET', KEYS[2]) or ''
  elseif op == 'F' then
    local marker = redis.call('GET', KEYS[2])
    local advanced = '0'
    if not marker or tonumber(marker) < time then
      redis.call('SET', KEYS[2], time)
      advanced = '1'
    end
    local result = { advanced }
    for _, key in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', time)) do result[#result + 1] = key end
    return result
  elseif op == 'S' then
    return redis.call('SMEMBERS', KEYS[1])
  elseif op == 'C' then
    return tostring(redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', time))
  end
  return redis.error_reply('ERR cachep tag-index: unknown operation ' .. tostring(op))
end
