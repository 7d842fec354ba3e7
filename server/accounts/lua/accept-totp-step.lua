-- Records the TOTP step a counsellor just signed in with, unless that step or a later one was already used
-- (RFC 6238 section 5.2: a code is accepted once). Atomic, so two sign-ins racing with one code cannot both win.
--
-- KEYS[1]  second-factor hash of the account (field lastStep)
-- ARGV[1]  the step to accept (integer)
--
-- Returns 1 when accepted, 0 when the step is not newer than the last accepted one or the hash is missing.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local last = tonumber(redis.call('HGET', KEYS[1], 'lastStep') or '-1') or -1
local step = tonumber(ARGV[1])
if step <= last then return 0 end
redis.call('HSET', KEYS[1], 'lastStep', ARGV[1])
return 1
