--[[
  Takes a chat away from a counsellor who did not answer in time or vanished, and sends the resident back to
  the front of her class. Her ticket waits for fresh handshake keys (state 'rekey') before it re-enters the
  line, so the next counsellor never gets keys she has already used. Idempotent: a second call finds no chat.
  KEYS[1] chat hash
  ARGV[1] key prefix  ARGV[2] chatId  ARGV[3] ttl seconds  ARGV[4] 'no-reply' | 'counsellor-gone'
  Returns: { ticketId, counsellorId, counsellor's association }, or {} when there is nothing to requeue.
]]
local prefix = ARGV[1]
local c = redis.call('HMGET', KEYS[1], 'ticket', 'counsellor', 'assoc')
if not c[1] then return {} end
local tkey = prefix .. 't:' .. c[1]
local state = redis.call('HGET', tkey, 'state')
if state ~= 'assigned' and state ~= 'active' then return {} end
redis.call('DEL', KEYS[1], KEYS[1] .. ':r2c', KEYS[1] .. ':c2r')
redis.call('SREM', prefix .. 'load:' .. c[2], ARGV[2])
redis.call('HSET', tkey, 'state', 'rekey', 'chat', '', 'counsellor', '', 'front', '1')
redis.call('HINCRBY', tkey, 'requeued', 1)
redis.call('EXPIRE', tkey, ARGV[3])
return { c[1], c[2], c[3] or '' }
