-- Ends an enrolment in one step: creates the account, its second factor and recovery codes, and turns the
-- invitation into a tombstone (no TOTP secret left in it) so it cannot be used again. Either all of it
-- happens or nothing does.
--
-- KEYS[1]  invitation hash (fields status, expiresAt, enrolment, ...)
-- KEYS[2]  username -> account id index (created NX)
-- KEYS[3]  counsellor hash (new)
-- KEYS[4]  second-factor hash of the new account
-- KEYS[5]  recovery-code set of the new account
-- KEYS[6]  pending-invitation marker of the username
-- ARGV[1]  now (ms)
-- ARGV[2]  the invitation's enrolment field as the caller read and verified it (JSON string)
-- ARGV[3]  account id
-- ARGV[4]  tombstone TTL (seconds)
-- ARGV[5]  counsellor hash fields (JSON object of field -> stored string)
-- ARGV[6]  TOTP secret (base32)
-- ARGV[7]  TOTP step accepted at enrolment (integer)
-- ARGV[8]  recovery code hashes (JSON array of hex strings)
-- ARGV[9]  hash of the invitation token (the marker's expected value)
--
-- Returns 'OK', or why not: 'UNKNOWN', 'USED', 'EXPIRED', 'NOT_STARTED', 'USERNAME_TAKEN'.
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'UNKNOWN' end
if status ~= 'pending' then return 'USED' end
if tonumber(redis.call('HGET', KEYS[1], 'expiresAt')) <= tonumber(ARGV[1]) then return 'EXPIRED' end
if redis.call('HGET', KEYS[1], 'enrolment') ~= ARGV[2] then return 'NOT_STARTED' end
if redis.call('SET', KEYS[2], ARGV[3], 'NX') == false then return 'USERNAME_TAKEN' end

local fields = cjson.decode(ARGV[5])
local flat = {}
for k, v in pairs(fields) do
  flat[#flat + 1] = k
  flat[#flat + 1] = v
end
redis.call('HSET', KEYS[3], unpack(flat))
redis.call('HSET', KEYS[4], 'secret', ARGV[6], 'lastStep', ARGV[7])
local codes = cjson.decode(ARGV[8])
if #codes > 0 then redis.call('SADD', KEYS[5], unpack(codes)) end

redis.call('HDEL', KEYS[1], 'enrolment')
redis.call('HSET', KEYS[1], 'status', 'used', 'usedAt', ARGV[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
if redis.call('GET', KEYS[6]) == ARGV[9] then redis.call('DEL', KEYS[6]) end
return 'OK'
