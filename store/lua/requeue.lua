--[[
  Takes a chat away from a counsellor who did not answer in time or vanished, or who transfers it to the other
  association's line, and sends the resident back to the front of her class. Her ticket waits for fresh
  handshake keys (state 'rekey') before it re-enters the line, so the next counsellor never gets keys she has
  already used. A transfer offer still pending for the chat goes with it. Idempotent: a second call finds no chat.
  KEYS[1] chat hash
  ARGV[1] key prefix  ARGV[2] chatId  ARGV[3] ttl seconds  ARGV[4] 'no-reply' | 'counsellor-gone' | 'transfer'
  ARGV[5] the counsellor who must hold the chat, or '' for whoever does (transfer: only she may)
  ARGV[6] her association choice from now on, or '' to keep it (transfer to the other association's line)
  Returns: { ticketId, counsellorId, counsellor's association, pending offerId, its colleague } ('' when no
  offer was pending), or {} when there is nothing to requeue (or ARGV[5] does not hold it).
]]
local prefix = ARGV[1]
local c = redis.call('HMGET', KEYS[1], 'ticket', 'counsellor', 'assoc')
if not c[1] then return {} end
if ARGV[5] and ARGV[5] ~= '' and c[2] ~= ARGV[5] then return {} end
local tkey = prefix .. 't:' .. c[1]
local state = redis.call('HGET', tkey, 'state')
if state ~= 'assigned' and state ~= 'active' then return {} end
redis.call('DEL', KEYS[1], KEYS[1] .. ':r2c', KEYS[1] .. ':c2r')
redis.call('SREM', prefix .. 'load:' .. c[2], ARGV[2])
redis.call('HSET', tkey, 'state', 'rekey', 'chat', '', 'counsellor', '', 'front', '1')
redis.call('HDEL', tkey, 'reserved')
if ARGV[6] and ARGV[6] ~= '' then redis.call('HSET', tkey, 'assoc', ARGV[6]) end
redis.call('HINCRBY', tkey, 'requeued', 1)
redis.call('EXPIRE', tkey, ARGV[3])
local xkey = prefix .. 'x:' .. ARGV[2]
local x = redis.call('HMGET', xkey, 'offer', 'to')
if x[1] then redis.call('DEL', xkey, prefix .. 'xo:' .. x[1]) end
return { c[1], c[2], c[3] or '', x[1] or '', x[2] or '' }
