-- dq (issue 5): moves every dead letter of a department to its replay list, atomically
-- (a crash never loses or doubles one).
-- KEYS: 1 dead-letter list, 2 replay list
-- Returns the number moved.
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for i = 1, #items, 500 do
  redis.call('RPUSH', KEYS[2], unpack(items, i, math.min(i + 499, #items)))
end
redis.call('DEL', KEYS[1])
return #items
