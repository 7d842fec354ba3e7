--[[
  Registers a resident who has just answered triage: her ticket waits in the triage set until the triage
  worker places her in the line. Refuses atomically when the line of every association she accepts is full
  (tickets in triage count, so a burst cannot overshoot the limit).
  KEYS[1] ticket hash   KEYS[2] line zset   KEYS[3] triage zset   KEYS[4] resume-token key
  ARGV[1] key prefix  ARGV[2] ticketId  ARGV[3] ttl seconds  ARGV[4] max line lengths 'telefono-donna,ebano'
  ARGV[5] her association choice  ARGV[6] joined-at ms  ARGV[7..] field/value pairs of the ticket hash
  Returns: 1, or an error reply QUEUE_FULL.
]]
local prefix, choice = ARGV[1], ARGV[5]
local tdMax, ebMax = string.match(ARGV[4], '^(%d+),(%d+)$')
local max = { ['telefono-donna'] = tonumber(tdMax), ['ebano'] = tonumber(ebMax) }
local counts = { ['telefono-donna'] = 0, ['ebano'] = 0 }
local function tally(ids)
  for _, id in ipairs(ids) do
    local a = redis.call('HGET', prefix .. 't:' .. id, 'assoc')
    if a == 'either' then
      counts['telefono-donna'] = counts['telefono-donna'] + 1
      counts['ebano'] = counts['ebano'] + 1
    elseif a then
      counts[a] = (counts[a] or 0) + 1
    end
  end
end
tally(redis.call('ZRANGE', KEYS[2], 0, -1))
tally(redis.call('ZRANGE', KEYS[3], 0, -1))
local room = false
if choice == 'either' then
  room = counts['telefono-donna'] < max['telefono-donna'] or counts['ebano'] < max['ebano']
else
  room = (counts[choice] or 0) < (max[choice] or 0)
end
if not room then return redis.error_reply('QUEUE_FULL') end
local fields = {}
for i = 7, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[6], ARGV[2])
redis.call('EXPIRE', KEYS[3], ARGV[3])
redis.call('SET', KEYS[4], ARGV[2], 'EX', ARGV[3])
return 1
