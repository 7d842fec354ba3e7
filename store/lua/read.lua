--[[
  Records a read receipt: the highest sequence number of the peer's messages the reader has read.
  KEYS[1] chat hash
  ARGV[1] field ('readR' = counsellor read the resident's, 'readC' = resident read the counsellor's)  ARGV[2] seq
  Returns: the stored highest seq, or an error reply NOT_FOUND.
]]
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur then return redis.error_reply('NOT_FOUND') end
local seq = tonumber(ARGV[2])
if seq > tonumber(cur) then
  redis.call('HSET', KEYS[1], ARGV[1], seq)
  return seq
end
return tonumber(cur)
