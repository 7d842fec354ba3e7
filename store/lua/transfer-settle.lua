--[[
  Ends a pending transfer offer: the colleague accepts or declines it, the sender withdraws it, or it expires.
  Accepting takes the chat from the sender like a requeue (chat and relay buffers deleted, so nothing new is
  ever sealed with her keys) and reserves the resident's ticket for the colleague: it waits for fresh keys in
  state 'rekey', outside the line, so nobody else can see or claim it; rekey.lua then claims it for her.
  KEYS[1] transfer hash of the chat
  ARGV[1] key prefix  ARGV[2] chatId  ARGV[3] offerId, or '' for whichever offer is pending (withdraw)
  ARGV[4] 'accept' | 'decline' | 'withdraw' | 'expire'
  ARGV[5] who acts: the colleague (accept, decline), the sender (withdraw), '' (expire)
  ARGV[6] colleague's capacity (accept)  ARGV[7] resident ttl seconds
  ARGV[8] her association choice after the transfer, or '' to keep it (accept)
  Returns: { offerId, sender, colleague, ticketId }, or an error reply NOT_FOUND | FORBIDDEN | AT_CAPACITY.
  AT_CAPACITY leaves the offer open: the colleague may end a chat and accept before it expires.
]]
local prefix, chatId, action = ARGV[1], ARGV[2], ARGV[4]
local x = redis.call('HMGET', KEYS[1], 'offer', 'from', 'to', 'ticket')
if not x[1] or (ARGV[3] ~= '' and x[1] ~= ARGV[3]) then return redis.error_reply('NOT_FOUND') end
if (action == 'accept' or action == 'decline') and x[3] ~= ARGV[5] then return redis.error_reply('FORBIDDEN') end
if action == 'withdraw' and x[2] ~= ARGV[5] then return redis.error_reply('FORBIDDEN') end
local function close()
  redis.call('DEL', KEYS[1], prefix .. 'xo:' .. x[1])
end
if action == 'accept' then
  if redis.call('SCARD', prefix .. 'load:' .. x[3]) >= tonumber(ARGV[6]) then return redis.error_reply('AT_CAPACITY') end
  local ckey = prefix .. 'c:' .. chatId
  local c = redis.call('HMGET', ckey, 'ticket', 'counsellor')
  local tkey = prefix .. 't:' .. x[4]
  local state = redis.call('HGET', tkey, 'state')
  if c[1] ~= x[4] or c[2] ~= x[2] or (state ~= 'assigned' and state ~= 'active') then
    close()
    return redis.error_reply('NOT_FOUND')
  end
  redis.call('DEL', ckey, ckey .. ':r2c', ckey .. ':c2r')
  redis.call('SREM', prefix .. 'load:' .. x[2], chatId)
  redis.call('HSET', tkey, 'state', 'rekey', 'chat', '', 'counsellor', '', 'front', '1', 'reserved', x[3])
  if ARGV[8] ~= '' then redis.call('HSET', tkey, 'assoc', ARGV[8]) end
  redis.call('HINCRBY', tkey, 'requeued', 1)
  redis.call('EXPIRE', tkey, ARGV[7])
end
close()
return { x[1], x[2], x[3], x[4] }
