--[[
  Appends one ciphertext to a chat's relay buffer at exactly its sequence number. A resend of the identical
  ciphertext (after a reconnect) is a harmless duplicate; a different one at a used number is a conflict.
  Refreshes the TTL of every key of the chat, since an active chat must not expire under the people in it.
  KEYS[1] chat hash   KEYS[2] relay list of this direction   KEYS[3] relay list of the other direction
  ARGV[1] key prefix  ARGV[2] sender role ('resident'|'counsellor')  ARGV[3] sender id (ticketId|counsellorId)
  ARGV[4] seq  ARGV[5] payload "nonce.ciphertext"  ARGV[6] ttl seconds
  Returns: 'new' | 'dup', or an error reply NOT_FOUND | FORBIDDEN | WRONG_STATE | OUT_OF_ORDER | CONFLICT.
]]
local c = redis.call('HMGET', KEYS[1], 'ticket', 'counsellor', 'state')
if not c[1] then return redis.error_reply('NOT_FOUND') end
if ARGV[2] == 'resident' and c[1] ~= ARGV[3] then return redis.error_reply('FORBIDDEN') end
if ARGV[2] == 'counsellor' and c[2] ~= ARGV[3] then return redis.error_reply('FORBIDDEN') end
if c[3] ~= 'active' then return redis.error_reply('WRONG_STATE') end
local seq = tonumber(ARGV[4])
local len = redis.call('LLEN', KEYS[2])
if seq < len then
  if redis.call('LINDEX', KEYS[2], seq) == ARGV[5] then return 'dup' end
  return redis.error_reply('CONFLICT')
end
if seq > len then return redis.error_reply('OUT_OF_ORDER') end
redis.call('RPUSH', KEYS[2], ARGV[5])
local ttl = ARGV[6]
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
redis.call('EXPIRE', KEYS[3], ttl)
local t = redis.call('HMGET', ARGV[1] .. 't:' .. c[1], 'rk')
redis.call('EXPIRE', ARGV[1] .. 't:' .. c[1], ttl)
if t[1] then redis.call('EXPIRE', t[1], ttl) end
redis.call('EXPIRE', ARGV[1] .. 'load:' .. c[2], ttl)
return 'new'
