-- query (issue 6): one batch of a console search. Walks a sorted set from a sort key
-- (score, id) strictly onwards, within score bounds, and returns each entry with its
-- event and facts, so a batch is one round trip. Ties in score are ordered by id, as
-- Redis orders them. Read-only. docs/console.md.
-- KEYS: 1 the driving index, 2 deadline index, 3 yellow index, 4 supervised index
-- ARGV: 1 event key prefix, 2 'asc'|'desc', 3 min score ('-inf' or ms), 4 max score
--       ('+inf' or ms), 5 cursor score ('' = from the start), 6 cursor id, 7 limit
-- Returns a flat array, 6 per entry: id, score, event blob|'', deadline|'', yellow|'',
-- '1'|'' supervised
local asc = ARGV[2] == 'asc'
local lo, hi = ARGV[3], ARGV[4]
local cs, cid = ARGV[5], ARGV[6]
local limit = tonumber(ARGV[7])
local from, to = lo, hi
if not asc then from, to = hi, lo end
if cs ~= '' then from = cs end
local got = {}
local offset = 0
local chunk = limit + 16
while #got < limit do
  local r
  if asc then
    r = redis.call('ZRANGE', KEYS[1], from, to, 'BYSCORE', 'LIMIT', offset, chunk, 'WITHSCORES')
  else
    r = redis.call('ZRANGE', KEYS[1], from, to, 'BYSCORE', 'REV', 'LIMIT', offset, chunk,
                   'WITHSCORES')
  end
  for i = 1, #r, 2 do
    local id, score = r[i], r[i + 1]
    local seen = false
    if cs ~= '' and tonumber(score) == tonumber(cs) then
      if asc then seen = id <= cid else seen = id >= cid end
    end
    if not seen then
      got[#got + 1] = id
      got[#got + 1] = score
      if #got >= 2 * limit then break end
    end
  end
  if #r < 2 * chunk then break end
  offset = offset + chunk
end
local out = {}
for i = 1, #got, 2 do
  local id = got[i]
  out[#out + 1] = id
  out[#out + 1] = got[i + 1]
  out[#out + 1] = redis.call('HGET', ARGV[1] .. id, 'd') or ''
  out[#out + 1] = redis.call('ZSCORE', KEYS[2], id) or ''
  out[#out + 1] = redis.call('ZSCORE', KEYS[3], id) or ''
  out[#out + 1] = redis.call('ZSCORE', KEYS[4], id) and '1' or ''
end
return out
