-- Commits one lifecycle transition if the event is still at the expected state and
-- version: replaces the event, appends the timeline entry, moves it between indexes,
-- queues the next work item and records the request — all or nothing.
-- KEYS: 1 event, 2 timeline, 3 request, 4 old state index, 5 new state index,
--       6 old department index, 7 new department index, 8 work queue
-- ARGV: 1 event id, 2 expected version, 3 expected state, 4 new version, 5 new state,
--       6 event blob, 7 entry blob, 8 fingerprint, 9 now ms, 10 request ttl s,
--       11 holder changed '1'|'0', 12 had holder, 13 has holder,
--       14 queue '1'|'0', 15 queue maxlen ('0' = never trim)
-- Returns {'ok'} | {'replay', blob} | {'reused'} | {'missing'} | {'conflict', v, s}
local req = redis.call('HMGET', KEYS[3], 'f', 'r')
if req[1] then
  if req[1] == ARGV[8] then return {'replay', req[2]} end
  return {'reused'}
end
local cur = redis.call('HMGET', KEYS[1], 'v', 's')
if not cur[1] then return {'missing'} end
if cur[1] ~= ARGV[2] or cur[2] ~= ARGV[3] then return {'conflict', cur[1], cur[2]} end
redis.call('HSET', KEYS[1], 's', ARGV[5], 'v', ARGV[4], 'd', ARGV[6])
redis.call('RPUSH', KEYS[2], ARGV[7])
if ARGV[3] ~= ARGV[5] then
  redis.call('ZREM', KEYS[4], ARGV[1])
  redis.call('ZADD', KEYS[5], ARGV[9], ARGV[1])
end
if ARGV[11] == '1' then
  if ARGV[12] == '1' then redis.call('ZREM', KEYS[6], ARGV[1]) end
  if ARGV[13] == '1' then redis.call('ZADD', KEYS[7], ARGV[9], ARGV[1]) end
end
if ARGV[14] == '1' then
  if ARGV[15] == '0' then
    redis.call('XADD', KEYS[8], '*', 'e', ARGV[1], 'v', ARGV[4])
  else
    redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[15], '*', 'e', ARGV[1], 'v', ARGV[4])
  end
end
redis.call('HSET', KEYS[3], 'f', ARGV[8], 'r', ARGV[6])
redis.call('EXPIRE', KEYS[3], ARGV[10])
return {'ok'}
