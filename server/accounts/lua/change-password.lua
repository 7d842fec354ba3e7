-- Swaps a counsellor's password-derived material in one step: the hash of the new authentication key, the new
-- KDF parameters and her identity key re-wrapped under the new wrapping key. Refused when the stored hash is no
-- longer the one the caller verified (a concurrent change), so two changes cannot interleave.
--
-- KEYS[1]  counsellor hash
-- ARGV[1]  expected current authHash (JSON-encoded, as stored)
-- ARGV[2]  new authHash (JSON-encoded)
-- ARGV[3]  new kdf (JSON)
-- ARGV[4]  new wrappedIdentityKey (JSON)
--
-- Returns 1 when swapped, 0 when the stored hash differs.
if redis.call('HGET', KEYS[1], 'authHash') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'authHash', ARGV[2], 'kdf', ARGV[3], 'wrappedIdentityKey', ARGV[4])
return 1
