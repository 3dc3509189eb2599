-- dq (issue 5): hands a consumer the next entries of a department's queue, within the
-- department's cap on unacknowledged deliveries, in one atomic step (so two consumers of
-- one department cannot both pass the cap check).
-- KEYS: 1 stream
-- ARGV: 1 group, 2 consumer, 3 max, 4 max unacked, 5 department filter ('' = none: the
--       'dep' field of notification entries must equal it, others are acknowledged)
-- Returns the entries as XREADGROUP does: {{id, {field, value, ...}}, ...}
redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
local pending = redis.call('XPENDING', KEYS[1], ARGV[1])[1]
local room = math.min(tonumber(ARGV[3]), tonumber(ARGV[4]) - pending)
if room <= 0 then return {} end
local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', room, 'STREAMS',
                     KEYS[1], '>')
if not r then return {} end
local entries = r[1][2]
if ARGV[5] == '' then return entries end
local out, skip = {}, {}
for _, en in ipairs(entries) do
  local f, dep = en[2], nil
  for i = 1, #f, 2 do
    if f[i] == 'dep' then dep = f[i + 1] end
  end
  if dep == ARGV[5] then table.insert(out, en) else table.insert(skip, en[1]) end
end
if #skip > 0 then redis.call('XACK', KEYS[1], ARGV[1], unpack(skip)) end
return out
