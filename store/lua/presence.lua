--[[
  Records which socket currently holds a resident's ticket, so a late disconnect of an old socket (possibly
  on another node) cannot mark her as gone after she has already reconnected.
  KEYS[1] ticket hash
  ARGV[1] 'up' | 'down'  ARGV[2] socket id  ARGV[3] now (ms)
  Returns: 1 if the state changed, 0 if not (no ticket, or 'down' from a socket that no longer holds it).
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] == 'up' then
  redis.call('HSET', KEYS[1], 'sock', ARGV[2], 'gone', '')
  return 1
end
if redis.call('HGET', KEYS[1], 'sock') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'sock', '', 'gone', ARGV[3])
return 1
