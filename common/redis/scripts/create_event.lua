-- Creates an event: the event hash, its first timeline entry, its indexes, a routing
-- work item and the request record, or nothing at all.
-- KEYS: 1 event, 2 timeline, 3 request, 4 reporter index, 5 router queue,
--       6 change feed (sla)
-- ARGV: 1 event id, 2 event blob, 3 state, 4 fingerprint, 5 entry blob, 6 now ms,
--       7 request ttl s, 8 action number (sla)
-- query (issue 6): KEYS 7.. and ARGV 9.. the console's index operations
--       (common/redis/query_index_ops.h), applied by query_index_ops() from
--       query_index_ops.lua, which the build prepends to this script
-- Returns {'ok'} | {'replay', blob} | {'reused'} | {'exists'}
local req = redis.call('GET', KEYS[3])
if req then
  local sep = string.find(req, ':', 1, true)
  if string.sub(req, 1, sep - 1) == ARGV[4] then return {'replay', string.sub(req, sep + 1)} end
  return {'reused'}
end
if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists'} end
redis.call('HSET', KEYS[1], 's', ARGV[3], 'v', '1', 'd', ARGV[2])
redis.call('RPUSH', KEYS[2], ARGV[5])
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[1])
redis.call('XADD', KEYS[5], '*', 'e', ARGV[1], 'v', '1')
redis.call('SET', KEYS[3], ARGV[4] .. ':' .. ARGV[2], 'EX', ARGV[7])
-- sla: the change feed (docs/sla.md); never trimmed by length, only below what every
-- consumer group has acknowledged.
redis.call('XADD', KEYS[6], '*', 'e', ARGV[1], 'v', '1', 's', ARGV[3], 'a', ARGV[8], 't', ARGV[6])
query_index_ops(7, 9, ARGV[1])
return {'ok'}
