-- Arms an event's SLA timers: if the record is still at the expected version, replaces
-- it, removes the timers it had armed, adds the new ones with their notification blobs
-- (and supervision-order blobs), and forgets the fired rungs when a new stage began —
-- all or nothing. Redelivery of a change is harmless: the same version is refused.
-- query (issue 6): also moves the event between the console's light indexes: removes it
-- from those it was in (field 'lk'), adds it to KEYS 3.. in pairs (deadline index, yellow
-- index) scored by ARGV 9 / ARGV 10, none when the clock does not run.
-- KEYS: 1 SLA record, 2 district timer set, 3.. light index pairs (query)
-- ARGV: 1 expected version ('0' = no record), 2 new version, 3 stage number, 4 stage seq,
--       5 generation, 6 department, 7 record blob, 8 event id, 9 deadline ms,
--       10 yellow ms (query),
--       11.. groups of 6: member, due ms, rung, notice blob, order id ('' = none), order blob
-- Returns {'ok'} | {'conflict', stored version}
local cur = redis.call('HMGET', KEYS[1], 'v', 'n', 'tm', 'lk')
local stored = cur[1] or '0'
if stored ~= ARGV[1] then return {'conflict', stored} end
if cur[3] and cur[3] ~= '' then
  local old = {}
  for m in string.gmatch(cur[3], '%S+') do old[#old + 1] = m end
  if #old > 0 then redis.call('ZREM', KEYS[2], unpack(old)) end
end
if cur[2] ~= ARGV[4] then redis.call('HDEL', KEYS[1], 'f') end
local members = {}
for i = 11, #ARGV, 6 do
  local rung = ARGV[i + 2]
  members[#members + 1] = ARGV[i]
  redis.call('ZADD', KEYS[2], ARGV[i + 1], ARGV[i])
  redis.call('HSET', KEYS[1], 'b' .. rung, ARGV[i + 3])
  if ARGV[i + 4] ~= '' then
    redis.call('HSET', KEYS[1], 'oi' .. rung, ARGV[i + 4], 'o' .. rung, ARGV[i + 5])
  else
    redis.call('HDEL', KEYS[1], 'oi' .. rung, 'o' .. rung)
  end
end
-- query (issue 6): the light indexes
if cur[4] and cur[4] ~= '' then
  for k in string.gmatch(cur[4], '%S+') do redis.call('ZREM', k, ARGV[8]) end
end
local light = {}
for i = 3, #KEYS, 2 do
  redis.call('ZADD', KEYS[i], ARGV[9], ARGV[8])
  redis.call('ZADD', KEYS[i + 1], ARGV[10], ARGV[8])
  light[#light + 1] = KEYS[i]
  light[#light + 1] = KEYS[i + 1]
end
redis.call('HSET', KEYS[1], 'lk', table.concat(light, ' '))
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'st', ARGV[3], 'n', ARGV[4], 'g', ARGV[5],
           'dep', ARGV[6], 'd', ARGV[7], 'tm', table.concat(members, ' '))
return {'ok'}
