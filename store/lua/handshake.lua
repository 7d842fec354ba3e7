--[[
  Stores the counsellor's half of the handshake and makes the chat active; only her own assigned chat.
  KEYS[1] chat hash   KEYS[2] ticket hash
  ARGV[1] counsellorId  ARGV[2] counsellor kx public key (b64)  ARGV[3] signature (b64)  ARGV[4] ttl seconds
  Returns: 1, or an error reply NOT_FOUND | FORBIDDEN | WRONG_STATE.
]]
local c = redis.call('HMGET', KEYS[1], 'counsellor', 'state')
if not c[1] then return redis.error_reply('NOT_FOUND') end
if c[1] ~= ARGV[1] then return redis.error_reply('FORBIDDEN') end
if c[2] ~= 'assigned' then return redis.error_reply('WRONG_STATE') end
redis.call('HSET', KEYS[1], 'state', 'active', 'ckx', ARGV[2], 'sig', ARGV[3])
redis.call('HSET', KEYS[2], 'state', 'active')
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return 1
