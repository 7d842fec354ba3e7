--[[
  A counsellor offers one of her active chats to a named colleague. One pending offer per chat; the offer and
  its id expire on their own (short TTL) and every purge or requeue of the chat deletes them.
  KEYS[1] chat hash   KEYS[2] transfer hash of the chat   KEYS[3] offer id -> chat id   KEYS[4] colleague's load set
  ARGV[1] sender counsellorId  ARGV[2] colleague counsellorId  ARGV[3] offerId  ARGV[4] colleague's capacity
  ARGV[5] sealed note (base64url) or ''  ARGV[6] offer ttl seconds  ARGV[7] now (ms)  ARGV[8] chatId
  Returns: the chat's ticketId, or an error reply NOT_FOUND | FORBIDDEN | WRONG_STATE | PENDING | AT_CAPACITY.
]]
local c = redis.call('HMGET', KEYS[1], 'ticket', 'counsellor', 'state')
if not c[1] then return redis.error_reply('NOT_FOUND') end
if c[2] ~= ARGV[1] then return redis.error_reply('FORBIDDEN') end
if c[3] ~= 'active' then return redis.error_reply('WRONG_STATE') end
if redis.call('EXISTS', KEYS[2]) == 1 then return redis.error_reply('PENDING') end
if redis.call('SCARD', KEYS[4]) >= tonumber(ARGV[4]) then return redis.error_reply('AT_CAPACITY') end
redis.call('HSET', KEYS[2], 'offer', ARGV[3], 'from', ARGV[1], 'to', ARGV[2], 'ticket', c[1], 'note', ARGV[5], 'created', ARGV[7])
redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('SET', KEYS[3], ARGV[8], 'EX', ARGV[6])
return c[1]
