-- query (issue 6): the console's board in one atomic read: counts by state per district,
-- street and holding department (the counters the write scripts keep), the red and
-- yellow events among them (light indexes at `now`, each event's current state), and
-- the id of the last change-feed entry. Because the write scripts update the counters
-- and append to the feed in one script, the counts are exact as of that entry.
-- docs/console.md.
-- KEYS: 1 counters 'all', 2 counters 'street', 3 counters 'dep', 4 change feed
-- ARGV: 1 now ms, 2 index key prefix ('zw:{D}:ix:q:'), 3 event key prefix
-- Returns {all counters, street counters, dep counters, lights, last feed id} where the
-- counters are HGETALL arrays and lights is a flat array of
-- '<row kind>|<row id>|<state>|<r|y>', count.
local now = tonumber(ARGV[1])
local all = redis.call('HGETALL', KEYS[1])
local streets = redis.call('HGETALL', KEYS[2])
local deps = redis.call('HGETALL', KEYS[3])
local counts = {}
local state_of = {}
local function state(id)
  local s = state_of[id]
  if s == nil then
    s = redis.call('HGET', ARGV[3] .. id, 's') or '0'
    state_of[id] = s
  end
  return s
end
local function lights(kind, row, suffix)
  local dl = ARGV[2] .. 'dl' .. suffix
  local yl = ARGV[2] .. 'yl' .. suffix
  for _, id in ipairs(redis.call('ZRANGE', dl, '-inf', now, 'BYSCORE')) do
    local k = kind .. '|' .. row .. '|' .. state(id) .. '|r'
    counts[k] = (counts[k] or 0) + 1
  end
  for _, id in ipairs(redis.call('ZRANGE', yl, '-inf', now, 'BYSCORE')) do
    local d = tonumber(redis.call('ZSCORE', dl, id) or '0')
    if d > now then
      local k = kind .. '|' .. row .. '|' .. state(id) .. '|y'
      counts[k] = (counts[k] or 0) + 1
    end
  end
end
lights('all', '', '')
local seen = {}
for i = 1, #streets, 2 do
  local row = string.match(streets[i], '^(.*)|%d+$')
  if row and not seen['s' .. row] then
    seen['s' .. row] = true
    lights('street', row, ':street:' .. row)
  end
end
for i = 1, #deps, 2 do
  local row = string.match(deps[i], '^(.*)|%d+$')
  if row and not seen['d' .. row] then
    seen['d' .. row] = true
    lights('dep', row, ':dep:' .. row)
  end
end
local flat = {}
for k, v in pairs(counts) do
  flat[#flat + 1] = k
  flat[#flat + 1] = tostring(v)
end
local last = redis.call('XREVRANGE', KEYS[4], '+', '-', 'COUNT', 1)
local cursor = '0-0'
if #last > 0 then cursor = last[1][1] end
return {all, streets, deps, flat, cursor}
