--[[
  Puts a resident in the waiting line, atomically refusing when the line is full.
  KEYS[1] ticket hash   KEYS[2] line zset   KEYS[3] resume-token key
  ARGV[1] ticketId  ARGV[2] ttl seconds  ARGV[3] max line length  ARGV[4] zset score
  ARGV[5..] field/value pairs of the ticket hash
  Returns: 1-based position, or an error reply 'QUEUE_FULL'.
]]
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then
  return redis.error_reply('QUEUE_FULL')
end
local fields = {}
for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[2])
redis.call('SET', KEYS[3], ARGV[1], 'EX', ARGV[2])
return redis.call('ZRANK', KEYS[2], ARGV[1]) + 1
