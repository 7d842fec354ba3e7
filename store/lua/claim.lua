--[[
  A counsellor claims a resident: the specific ticket ARGV[5], or the first matching one in line order.
  Capacity is checked in the same atomic step, so two counsellors on two nodes can never both win, and a
  counsellor can never exceed her capacity.
  KEYS[1] line zset   KEYS[2] counsellor load set   KEYS[3] new chat hash
  ARGV[1] key prefix  ARGV[2] counsellorId  ARGV[3] counsellor association  ARGV[4] capacity
  ARGV[5] ticketId or ''  ARGV[6] new chatId  ARGV[7] now (ms)  ARGV[8] ttl seconds
  ARGV[9] languages, comma-separated, or '*'  ARGV[10] max entries scanned
  ARGV[11] language fallback ms: after waiting this long, anyone may take her (nobody speaks her language)
  Returns: ticketId, or an error reply AT_CAPACITY | NOTHING_WAITING | ALREADY_TAKEN | FORBIDDEN.
]]
local prefix, assoc = ARGV[1], ARGV[3]
if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[4]) then
  return redis.error_reply('AT_CAPACITY')
end
local langs = ARGV[9]
local function matches(t)
  local a = redis.call('HGET', prefix .. 't:' .. t, 'assoc')
  if not a then return nil end
  if a ~= assoc and a ~= 'either' then return false end
  if langs ~= '*' then
    local h = redis.call('HMGET', prefix .. 't:' .. t, 'lang', 'joined')
    if not string.find(',' .. langs .. ',', ',' .. h[1] .. ',', 1, true) then
      if tonumber(ARGV[7]) - tonumber(h[2]) < tonumber(ARGV[11]) then return false end
    end
  end
  return true
end

local ticket = nil
if ARGV[5] ~= '' then
  if not redis.call('ZSCORE', KEYS[1], ARGV[5]) then return redis.error_reply('ALREADY_TAKEN') end
  local m = matches(ARGV[5])
  if m == nil then
    redis.call('ZREM', KEYS[1], ARGV[5])
    return redis.error_reply('ALREADY_TAKEN')
  end
  if not m then return redis.error_reply('FORBIDDEN') end
  ticket = ARGV[5]
else
  local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[10]) - 1)
  for _, t in ipairs(ids) do
    local m = matches(t)
    if m == nil then
      redis.call('ZREM', KEYS[1], t) -- its ticket expired: drop the dangling member
    elseif m then
      ticket = t
      break
    end
  end
  if not ticket then return redis.error_reply('NOTHING_WAITING') end
end

local tkey = prefix .. 't:' .. ticket
redis.call('ZREM', KEYS[1], ticket)
redis.call('HSET', tkey, 'state', 'assigned', 'chat', ARGV[6], 'counsellor', ARGV[2])
redis.call('EXPIRE', tkey, ARGV[8])
redis.call('HSET', KEYS[3], 'ticket', ticket, 'counsellor', ARGV[2], 'assoc', assoc, 'state', 'assigned',
  'created', ARGV[7], 'readR', -1, 'readC', -1)
redis.call('EXPIRE', KEYS[3], ARGV[8])
redis.call('SADD', KEYS[2], ARGV[6])
redis.call('EXPIRE', KEYS[2], ARGV[8])
return ticket
