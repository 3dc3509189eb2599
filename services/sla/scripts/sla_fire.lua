-- Fires due SLA timers of a district, exactly once: takes at most ARGV[2] members due at
-- ARGV[1] (earliest first) and removes them; for each, publishes its notification only
-- if the SLA record still has the timer's stage seq and generation, the event (same
-- slot) is still in a state of the record's stage, and the rung has not fired in this
-- stage. Publishing, recording the rung and opening the supervision order happen in the
-- same script as the removal, so concurrent replicas and crashes cannot fire a rung twice.
-- The notification's fired_at (field 11) and the order's opened_at (field 3) are
-- appended to the prepared protobuf blobs (a repeated embedded field merges).
-- KEYS: 1 district timer set, 2 notification stream, 3 supervised-events index and
--       4 creation index (query, issue 6: an opened order marks the event supervised)
-- ARGV: 1 now ms, 2 max, 3 SLA record key prefix, 4 event key prefix,
--       5 state→stage map ",<state>:<stage>,…,", 6 supervision order key prefix
-- Returns the fired notification blobs.
local function varint(n)
  local out = {}
  repeat
    local b = n % 128
    n = math.floor(n / 128)
    if n > 0 then b = b + 128 end
    out[#out + 1] = string.char(b)
  until n == 0
  return table.concat(out)
end
local function timestamp_field(tag, ms)
  local inner = '\8' .. varint(math.floor(ms / 1000))
  local nanos = (ms % 1000) * 1000000
  if nanos > 0 then inner = inner .. '\16' .. varint(nanos) end
  return string.char(tag) .. varint(#inner) .. inner
end

local now = tonumber(ARGV[1])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local fired = {}
for _, m in ipairs(due) do
  redis.call('ZREM', KEYS[1], m)
  local e, n, g, rung = string.match(m, '^(.*)|(%d+)|(%d+)|(%d+)$')
  if e then
    local rk = ARGV[3] .. e
    local r = redis.call('HMGET', rk, 'n', 'g', 'st', 'f', 'dep', 'b' .. rung, 'oi' .. rung,
                         'o' .. rung, 'so')
    if r[1] == n and r[2] == g and r[3] and r[3] ~= '0' and r[6] then
      local ok = true
      local s = redis.call('HGET', ARGV[4] .. e, 's')
      if s then ok = string.find(ARGV[5], ',' .. s .. ':' .. r[3] .. ',', 1, true) ~= nil end
      local f = r[4] or ','
      if ok and not string.find(f, ',' .. rung .. ',', 1, true) then
        local blob = r[6] .. timestamp_field(90, now)
        redis.call('XADD', KEYS[2], '*', 'e', e, 'dep', r[5] or '', 'd', blob)
        redis.call('HSET', rk, 'f', f .. rung .. ',')
        if r[7] then
          redis.call('SET', ARGV[6] .. r[7], r[8] .. timestamp_field(26, now))
          redis.call('HSET', rk, 'so', (r[9] or ',') .. r[7] .. ',')
          if KEYS[3] then
            local created = redis.call('ZSCORE', KEYS[4], e) or ARGV[1]
            redis.call('ZADD', KEYS[3], created, e)
          end
        end
        fired[#fired + 1] = blob
      end
    end
  end
end
return fired
