--[[
  Ends a resident's visit and deletes every key of her ticket and chat at once (end, abandon, quick exit,
  lost connection, sweeper). Idempotent: purging twice is harmless.
  KEYS[1] ticket hash   KEYS[2] line zset
  ARGV[1] key prefix  ARGV[2] ticketId
  Returns: { chatId or '', counsellorId or '', state or '' } of what was purged ('' when nothing was there).
]]
local prefix = ARGV[1]
local t = redis.call('HMGET', KEYS[1], 'chat', 'counsellor', 'state', 'rk')
redis.call('ZREM', KEYS[2], ARGV[2])
local chat, counsellor, state, rk = t[1] or '', t[2] or '', t[3] or '', t[4]
if chat ~= '' then
  redis.call('DEL', prefix .. 'c:' .. chat, prefix .. 'c:' .. chat .. ':r2c', prefix .. 'c:' .. chat .. ':c2r')
  if counsellor ~= '' then redis.call('SREM', prefix .. 'load:' .. counsellor, chat) end
end
if rk then redis.call('DEL', rk) end
redis.call('DEL', KEYS[1])
return { chat, counsellor, state }
