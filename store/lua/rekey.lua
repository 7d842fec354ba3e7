--[[
  A requeued resident sends fresh handshake keys and re-enters the line at the front of her class.
  KEYS[1] ticket hash   KEYS[2] line zset
  ARGV[1] ticketId  ARGV[2] kx public key  ARGV[3] handshake nonce  ARGV[4] ttl seconds
  Returns: 1, or an error reply WRONG_STATE when she is not waiting for new keys.
]]
local t = redis.call('HMGET', KEYS[1], 'state', 'class', 'joined')
if t[1] ~= 'rekey' then return redis.error_reply('WRONG_STATE') end
redis.call('HSET', KEYS[1], 'state', 'waiting', 'kx', ARGV[2], 'nonce', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
-- Front of her class: ahead of everyone who joined normally, in the order they were returned.
redis.call('ZADD', KEYS[2], tonumber(t[2]) * 1e13 + tonumber(t[3]) - 1e12, ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return 1
