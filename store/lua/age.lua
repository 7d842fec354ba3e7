--[[
  Aging: promotes waiting residents one urgency class per AGING interval waited, so nobody starves behind a
  stream of more urgent arrivals. Class 1 is the top. Keeps "front of class" residents ahead within a class.
  KEYS[1] line zset
  ARGV[1] key prefix  ARGV[2] now (ms)  ARGV[3] aging interval (ms)
  Returns: the number of residents promoted.
]]
local prefix, now, step = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local promoted = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local h = redis.call('HMGET', prefix .. 't:' .. id, 'urgency', 'class', 'joined', 'front')
  if h[1] and h[2] and h[3] then
    local target = math.max(1, tonumber(h[1]) - math.floor((now - tonumber(h[3])) / step))
    if target < tonumber(h[2]) then
      redis.call('HSET', prefix .. 't:' .. id, 'class', target)
      local offset = 0
      if h[4] == '1' then offset = 1e12 end
      redis.call('ZADD', KEYS[1], target * 1e13 + tonumber(h[3]) - offset, id)
      promoted = promoted + 1
    end
  end
end
return promoted
