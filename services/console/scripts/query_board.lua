-- query (issue 6): the console's board in one atomic read: counts by state per district,
-- street and holding department (the counters the write scripts keep), how many of each
-- are red or yellow at `now` (ZCOUNTs on the per-state light indexes zw-sla keeps), and
-- the id of the last change-feed entry. Because the write scripts update the counters
-- and append to the feed in one script, the counts are exact as of that entry. The cost
-- is two ZCOUNTs per non-zero counter, whatever the number of events. docs/console.md.
-- KEYS: 1 counters 'all', 2 counters 'street', 3 counters 'dep', 4 change feed
-- ARGV: 1 now ms, 2 index key prefix ('zw:{D}:ix:q:')
-- Returns {all counters, street counters, dep counters, lights, last feed id} where the
-- counters are HGETALL arrays and lights is a flat array of
-- '<row kind>|<row id>|<state>|<r|y>', count (yellow = yellow instant passed, deadline not).
local now = ARGV[1]
local p = ARGV[2]
local all = redis.call('HGETALL', KEYS[1])
local streets = redis.call('HGETALL', KEYS[2])
local deps = redis.call('HGETALL', KEYS[3])
local flat = {}
-- suffix: '' (district) or ':<scope>:<id>', as in LightIndexByState
local function lights(kind, row, suffix, state)
  local red = redis.call('ZCOUNT', p .. 'dl' .. suffix .. ':s:' .. state, '-inf', now)
  local lit = redis.call('ZCOUNT', p .. 'yl' .. suffix .. ':s:' .. state, '-inf', now)
  if red > 0 then
    flat[#flat + 1] = kind .. '|' .. row .. '|' .. state .. '|r'
    flat[#flat + 1] = tostring(red)
  end
  if lit > red then
    flat[#flat + 1] = kind .. '|' .. row .. '|' .. state .. '|y'
    flat[#flat + 1] = tostring(lit - red)
  end
end
for i = 1, #all, 2 do
  if tonumber(all[i + 1]) > 0 then lights('all', '', '', all[i]) end
end
for i = 1, #streets, 2 do
  local row, state = string.match(streets[i], '^(.*)|(%d+)$')
  if row and tonumber(streets[i + 1]) > 0 then lights('street', row, ':street:' .. row, state) end
end
for i = 1, #deps, 2 do
  local row, state = string.match(deps[i], '^(.*)|(%d+)$')
  if row and tonumber(deps[i + 1]) > 0 then lights('dep', row, ':dep:' .. row, state) end
end
local last = redis.call('XREVRANGE', KEYS[4], '+', '-', 'COUNT', 1)
local cursor = '0-0'
if #last > 0 then cursor = last[1][1] end
return {all, streets, deps, flat, cursor}
