--[[
  The triage worker places a triaged ticket in the waiting line with its urgency class.
  KEYS[1] ticket hash   KEYS[2] triage zset   KEYS[3] line zset
  ARGV[1] ticketId  ARGV[2] urgency class  ARGV[3] line score  ARGV[4] ttl seconds
  Returns: 1 if placed, 0 if the ticket is gone or not waiting for triage (she left meanwhile).
]]
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[1], 'state') ~= 'triage' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'waiting', 'urgency', ARGV[2], 'class', ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('EXPIRE', KEYS[3], ARGV[4])
return 1
