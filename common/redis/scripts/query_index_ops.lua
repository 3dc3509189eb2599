-- Shared by create_event.lua and transition.lua: CMake prepends this file to both when it
-- embeds them (common/CMakeLists.txt), so the two scripts apply the console's index
-- operations (common/redis/query_index_ops.h) with one function.
local function query_index_ops(kbase, abase, id)
  local n = tonumber(ARGV[abase] or '0')
  local fresh = false
  for i = 1, n do
    local key, op, arg = KEYS[kbase + i - 1], ARGV[abase + 2 * i - 1], ARGV[abase + 2 * i]
    if op == 'c' then
      if not redis.call('ZSCORE', key, id) then
        fresh = true
        redis.call('ZADD', key, arg, id)
      end
    elseif op == 'a' then redis.call('ZADD', key, arg, id)
    elseif op == 'r' then redis.call('ZREM', key, id)
    elseif op == 'i' or (op == 'n' and fresh) then redis.call('HINCRBY', key, arg, 1)
    elseif op == 'd' and not fresh then redis.call('HINCRBY', key, arg, -1)
    end
  end
end
