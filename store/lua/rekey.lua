--[[
  A requeued resident sends fresh handshake keys and re-enters the line at the front of her class. If her
  ticket is reserved for a colleague who accepted a transfer, it is claimed for that colleague instead, in the
  same atomic step and under the same capacity rule as claim.lua; when the colleague cannot take it (gone off
  shift, no free slot) she goes to the front of her class like any requeued resident: never lost.
  KEYS[1] ticket hash   KEYS[2] line zset
  ARGV[1] ticketId  ARGV[2] kx public key  ARGV[3] handshake nonce  ARGV[4] ttl seconds
  ARGV[5] key prefix  ARGV[6] the colleague the caller found reserved, or ''  ARGV[7] her capacity (0: she
  cannot take chats now)  ARGV[8] new chatId  ARGV[9] now (ms)  ARGV[10] the colleague's association
  (ARGV[5..10] may be omitted when the caller found no reservation)
  Returns: 1 (in the line), { chatId, counsellorId } (claimed for the colleague), or an error reply
  WRONG_STATE when she is not waiting for new keys.
]]
local t = redis.call('HMGET', KEYS[1], 'state', 'class', 'joined', 'reserved')
if t[1] ~= 'rekey' then return redis.error_reply('WRONG_STATE') end
redis.call('HSET', KEYS[1], 'state', 'waiting', 'kx', ARGV[2], 'nonce', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
local reserved = t[4]
if reserved and reserved ~= '' then
  redis.call('HDEL', KEYS[1], 'reserved')
  local prefix = ARGV[5]
  if prefix and reserved == ARGV[6] and tonumber(ARGV[7]) > 0 then
    local load = prefix .. 'load:' .. reserved
    if redis.call('SCARD', load) < tonumber(ARGV[7]) then
      local ckey = prefix .. 'c:' .. ARGV[8]
      redis.call('HSET', KEYS[1], 'state', 'assigned', 'chat', ARGV[8], 'counsellor', reserved)
      redis.call('HSET', ckey, 'ticket', ARGV[1], 'counsellor', reserved, 'assoc', ARGV[10], 'state', 'assigned',
        'created', ARGV[9], 'readR', -1, 'readC', -1)
      redis.call('EXPIRE', ckey, ARGV[4])
      redis.call('SADD', load, ARGV[8])
      redis.call('EXPIRE', load, ARGV[4])
      return { ARGV[8], reserved }
    end
  end
end
-- Front of her class: ahead of everyone who joined normally, in the order they were returned.
redis.call('ZADD', KEYS[2], tonumber(t[2]) * 1e13 + tonumber(t[3]) - 1e12, ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return 1
