-- Commits one or more consecutive lifecycle transitions of an event if it is still at
-- the expected state and version: replaces the event, appends the timeline entries,
-- moves it between indexes, queues the next work item and records the request — all or
-- nothing.
-- KEYS: 1 event, 2 timeline, 3 request (the event key again when none is recorded),
--       4 old department index, 5 new department index, 6 work queue (unused
--       index/queue slots repeat the event key), 7 change feed (sla)
--       org (issue 3): 8 old triage index, 9 new triage index, 10 old followers index,
--       11 new followers index (unchanged or unused: the event key)
-- ARGV: 1 event id, 2 expected version, 3 expected state, 4 new version, 5 new state,
--       6 event blob, 7 fingerprint ('' = record no request), 8 now ms, 9 request ttl s,
--       10 holder changed '1'|'0', 11 had holder, 12 has holder,
--       13 queue '1'|'0', 14 queue maxlen ('0' = never trim), 15 action number of the
--       last step (sla), 16 n = number of query index operations (query, issue 6),
--       17..16+2n their (op, arg) pairs over KEYS 12..11+n
--       (common/redis/query_index_ops.h; query_index_ops() comes from query_index_ops.lua,
--       which the build prepends to this script), 17+2n.. entry blobs
-- Returns {'ok'} | {'replay', blob} | {'reused'} | {'missing'} | {'conflict', v, s}
local record = ARGV[7] ~= ''
if record then
  local req = redis.call('GET', KEYS[3])
  if req then
    local sep = string.find(req, ':', 1, true)
    if string.sub(req, 1, sep - 1) == ARGV[7] then
      return {'replay', string.sub(req, sep + 1)}
    end
    return {'reused'}
  end
end
local cur = redis.call('HMGET', KEYS[1], 'v', 's')
if not cur[1] then return {'missing'} end
if cur[1] ~= ARGV[2] or cur[2] ~= ARGV[3] then return {'conflict', cur[1], cur[2]} end
redis.call('HSET', KEYS[1], 's', ARGV[5], 'v', ARGV[4], 'd', ARGV[6])
redis.call('RPUSH', KEYS[2], unpack(ARGV, 17 + 2 * tonumber(ARGV[16]), #ARGV))
if ARGV[10] == '1' then
  if ARGV[11] == '1' then redis.call('ZREM', KEYS[4], ARGV[1]) end
  if ARGV[12] == '1' then redis.call('ZADD', KEYS[5], ARGV[8], ARGV[1]) end
end
if ARGV[13] == '1' then
  if ARGV[14] == '0' then
    redis.call('XADD', KEYS[6], '*', 'e', ARGV[1], 'v', ARGV[4])
  else
    redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[14], '*', 'e', ARGV[1], 'v', ARGV[4])
  end
end
-- ---- org (issue 3): triage queues and followers of masters move with the event.
if KEYS[8] and KEYS[8] ~= KEYS[1] then redis.call('ZREM', KEYS[8], ARGV[1]) end
if KEYS[9] and KEYS[9] ~= KEYS[1] then redis.call('ZADD', KEYS[9], ARGV[8], ARGV[1]) end
if KEYS[10] and KEYS[10] ~= KEYS[1] then redis.call('ZREM', KEYS[10], ARGV[1]) end
if KEYS[11] and KEYS[11] ~= KEYS[1] then redis.call('ZADD', KEYS[11], ARGV[8], ARGV[1]) end
-- ---- end org
query_index_ops(12, 16, ARGV[1])
if record then
  redis.call('SET', KEYS[3], ARGV[7] .. ':' .. ARGV[6], 'EX', ARGV[9])
end
-- sla: the change feed (docs/sla.md)
redis.call('XADD', KEYS[7], '*', 'e', ARGV[1], 'v', ARGV[4], 's', ARGV[5], 'a', ARGV[15],
           't', ARGV[8])
return {'ok'}
