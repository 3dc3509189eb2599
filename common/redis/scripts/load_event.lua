-- Reads an event and the record of a request, in one round trip.
-- KEYS: 1 event, 2 request
-- Returns {event blob or false, request record ("<fingerprint>:<result blob>") or false}
return {redis.call('HGET', KEYS[1], 'd'), redis.call('GET', KEYS[2])}
