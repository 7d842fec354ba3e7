--[[
  Ends a resident's visit and deletes every key of her ticket and chat at once (end, abandon, quick exit,
  lost connection, sweeper). Idempotent: only the call that actually purged gets a state back, so the
  anonymous counts are recorded once.
  KEYS[1] ticket hash   KEYS[2] line zset   KEYS[3] triage zset
  ARGV[1] key prefix  ARGV[2] ticketId
  Returns: { chatId, counsellorId, state, association choice, triage class, joined ms, chat association,
             chat created ms, gone ms, pending transfer offerId, its colleague } with '' for what was not
             there (state '' when nothing was purged).
]]
local prefix = ARGV[1]
local t = redis.call('HMGET', KEYS[1], 'chat', 'counsellor', 'state', 'rk', 'assoc', 'urgency', 'joined', 'gone')
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
local chat, counsellor, state, rk = t[1] or '', t[2] or '', t[3] or '', t[4]
local chatAssoc, chatCreated = '', ''
local offer, offerTo = '', ''
if chat ~= '' then
  -- A transfer offer still pending for her chat goes with it (its id too).
  local xkey = prefix .. 'x:' .. chat
  local x = redis.call('HMGET', xkey, 'offer', 'to')
  if x[1] then
    redis.call('DEL', xkey, prefix .. 'xo:' .. x[1])
    offer, offerTo = x[1], x[2] or ''
  end
  local ckey = prefix .. 'c:' .. chat
  local c = redis.call('HMGET', ckey, 'assoc', 'created')
  chatAssoc, chatCreated = c[1] or '', c[2] or ''
  redis.call('DEL', ckey, ckey .. ':r2c', ckey .. ':c2r')
  if counsellor ~= '' then redis.call('SREM', prefix .. 'load:' .. counsellor, chat) end
end
if rk then redis.call('DEL', rk) end
redis.call('DEL', KEYS[1])
return { chat, counsellor, state, t[5] or '', t[6] or '', t[7] or '', chatAssoc, chatCreated, t[8] or '', offer, offerTo }
