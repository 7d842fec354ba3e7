--[[
  Aging: promotes waiting residents one urgency class per AGING interval waited, so nobody starves behind a
  stream of more urgent arrivals. Class 1 is the top. Keeps "front of class" residents ahead within a class.
  It also renews the TTL of every waiting ticket and its resume key: a long wait must not expire under her
  (a resident who is really gone is ended by the resident-gone job after the grace period).
  KEYS[1] line zset
  ARGV[1] key prefix  ARGV[2] now (ms)  ARGV[3] aging intervals (ms) 'telefono-donna,ebano'; an 'either' resident ages by the shorter  ARGV[4] ttl seconds
  Returns: the number of residents promoted.
]]
local prefix, now = ARGV[1], tonumber(ARGV[2])
local tdStep, ebStep = string.match(ARGV[3], '^(%d+),(%d+)$')
local steps = { ['telefono-donna'] = tonumber(tdStep), ['ebano'] = tonumber(ebStep) }
steps['either'] = math.min(steps['telefono-donna'], steps['ebano'])
local promoted = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local tkey = prefix .. 't:' .. id
  local h = redis.call('HMGET', tkey, 'urgency', 'class', 'joined', 'front', 'rk', 'assoc')
  if h[1] then
    redis.call('EXPIRE', tkey, ARGV[4])
    if h[5] then redis.call('EXPIRE', h[5], ARGV[4]) end
  end
  local step = steps[h[6] or 'either'] or steps['either']
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
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('EXPIRE', KEYS[1], ARGV[4]) end
return promoted
