-- dq (issue 5): removes the entries of a stream that every consumer group has
-- acknowledged: everything before the oldest entry some group still needs (its oldest
-- pending entry, or the entry after the last one it was handed). A stream without groups
-- has handed nothing to anyone: it keeps its newest ARGV[1] entries ('0' = all).
-- KEYS: 1 stream
-- ARGV: 1 entries to keep when the stream has no consumer group
-- Returns the number of entries removed.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local groups = redis.call('XINFO', 'GROUPS', KEYS[1])
if #groups == 0 then
  if tonumber(ARGV[1]) > 0 then return redis.call('XTRIM', KEYS[1], 'MAXLEN', ARGV[1]) end
  return 0
end
local best_ms, best_seq = nil, nil
for _, g in ipairs(groups) do
  local name, last
  for i = 1, #g, 2 do
    if g[i] == 'name' then name = g[i + 1] elseif g[i] == 'last-delivered-id' then last = g[i + 1] end
  end
  local id, bump = last, 1
  local p = redis.call('XPENDING', KEYS[1], name, '-', '+', 1)
  if #p > 0 then id, bump = p[1][1], 0 end
  local dash = string.find(id, '-', 1, true)
  local ms = tonumber(string.sub(id, 1, dash - 1))
  local seq = tonumber(string.sub(id, dash + 1)) + bump
  if best_ms == nil or ms < best_ms or (ms == best_ms and seq < best_seq) then
    best_ms, best_seq = ms, seq
  end
end
return redis.call('XTRIM', KEYS[1], 'MINID', string.format('%.0f-%.0f', best_ms, best_seq))
