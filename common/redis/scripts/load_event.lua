-- Reads an event and the record of a request, in one round trip.
-- KEYS: 1 event, 2 request
-- Returns {event blob or false, fingerprint or false, result blob or false}
local d = redis.call('HGET', KEYS[1], 'd')
local req = redis.call('HMGET', KEYS[2], 'f', 'r')
return {d, req[1], req[2]}
