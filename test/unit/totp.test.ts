// TOTP second factor: the RFC 4226 / RFC 6238 / RFC 4648 published vectors, the verification window and replay
// refusal, the enrolment URI, and recovery codes.
import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  generateRecoveryCodes,
  generateTotpSecret,
  hashRecoveryCode,
  hotp,
  matchRecoveryCode,
  totpAt,
  totpUri,
  verifyTotp,
} from '../../server/accounts/totp.ts';

const RFC_SECRET = new TextEncoder().encode('12345678901234567890');
const STEP_MS = 30_000;

describe('hotp', () => {
  it('matches RFC 4226 Appendix D for counters 0-9', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, counter) => hotp(RFC_SECRET, counter))).toEqual(expected);
  });

  it('refuses a negative or fractional counter', () => {
    expect(() => hotp(RFC_SECRET, -1)).toThrow(/invalid counter/);
    expect(() => hotp(RFC_SECRET, 1.5)).toThrow(/invalid counter/);
  });
});

describe('totpAt', () => {
  // RFC 6238 Appendix B SHA-1 column (8 digits), keeping the last 6 as authenticator apps show them.
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
    [20000000000, '353130'],
  ])('T=%i s gives %s', (seconds, code) => {
    expect(totpAt(RFC_SECRET, seconds * 1000)).toBe(code);
  });
});

describe('base32', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('RFC 4648 vector %j <-> %s', (text, encoded) => {
    expect(base32Encode(new TextEncoder().encode(text))).toBe(encoded);
    expect(new TextDecoder().decode(base32Decode(encoded))).toBe(text);
  });

  it('round-trips random secrets of every length modulo 5', () => {
    for (let len = 0; len <= 25; len++) {
      const bytes = new Uint8Array(len).map((_, i) => (i * 97 + len * 31) & 0xff);
      expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
    }
    const secret = generateTotpSecret();
    expect(secret).toHaveLength(20);
    expect(base32Decode(base32Encode(secret))).toEqual(secret);
  });

  it('is case-insensitive and ignores spaces', () => {
    expect(new TextDecoder().decode(base32Decode(' mzxw 6ytb oi '))).toBe('foobar');
  });

  it('throws on invalid characters and impossible lengths', () => {
    expect(() => base32Decode('MZXW1')).toThrow('base32Decode: invalid character "1" at position 4');
    expect(() => base32Decode('MY======')).toThrow(/invalid/);
    expect(() => base32Decode('MZX')).toThrow('base32Decode: invalid length 3');
  });
});

describe('verifyTotp', () => {
  const now = 1_700_000_000_000;
  const step = Math.floor(now / STEP_MS);

  it('accepts the current, previous and next step and reports which', () => {
    expect(verifyTotp(RFC_SECRET, totpAt(RFC_SECRET, now), now)).toEqual({ ok: true, step });
    expect(verifyTotp(RFC_SECRET, hotp(RFC_SECRET, step - 1), now)).toEqual({ ok: true, step: step - 1 });
    expect(verifyTotp(RFC_SECRET, hotp(RFC_SECRET, step + 1), now)).toEqual({ ok: true, step: step + 1 });
  });

  it('refuses codes two steps away, unless the window is widened', () => {
    expect(verifyTotp(RFC_SECRET, hotp(RFC_SECRET, step - 2), now)).toEqual({ ok: false });
    expect(verifyTotp(RFC_SECRET, hotp(RFC_SECRET, step + 2), now)).toEqual({ ok: false });
    expect(verifyTotp(RFC_SECRET, hotp(RFC_SECRET, step + 2), now, { window: 2 })).toEqual({ ok: true, step: step + 2 });
    expect(verifyTotp(RFC_SECRET, hotp(RFC_SECRET, step - 1), now, { window: 0 })).toEqual({ ok: false });
  });

  it('refuses anything but exactly six ASCII digits', () => {
    const code = totpAt(RFC_SECRET, now);
    for (const bad of ['', code.slice(0, 5), `${code}0`, ` ${code}`, `${code.slice(0, 3)} ${code.slice(3)}`, 'abcdef', '١٢٣٤٥٦']) {
      expect(verifyTotp(RFC_SECRET, bad, now)).toEqual({ ok: false });
    }
  });

  it('refuses a replay of the step already used, and earlier steps', () => {
    const code = totpAt(RFC_SECRET, now);
    const first = verifyTotp(RFC_SECRET, code, now);
    expect(first).toEqual({ ok: true, step });
    // Same code again, 20 s later, still inside the window.
    expect(verifyTotp(RFC_SECRET, code, now + 20_000, { lastUsedStep: step })).toEqual({ ok: false });
    expect(verifyTotp(RFC_SECRET, hotp(RFC_SECRET, step - 1), now, { lastUsedStep: step })).toEqual({ ok: false });
    expect(verifyTotp(RFC_SECRET, hotp(RFC_SECRET, step + 1), now, { lastUsedStep: step })).toEqual({ ok: true, step: step + 1 });
    expect(verifyTotp(RFC_SECRET, code, now, { lastUsedStep: null })).toEqual({ ok: true, step });
  });

  it('refuses a code for a different secret', () => {
    const other = generateTotpSecret();
    const code = totpAt(other, now);
    const result = verifyTotp(RFC_SECRET, code, now);
    // A random secret agrees with RFC_SECRET on one of three steps with probability ~3e-6; accept that flake bound.
    if (result.ok) expect([step - 1, step, step + 1].map((s) => hotp(RFC_SECRET, s))).toContain(code);
    else expect(result).toEqual({ ok: false });
  });
});

describe('totpUri', () => {
  it('carries the base32 secret and the encoded issuer and account', () => {
    const uri = totpUri({ secret: RFC_SECRET, account: 'anna rossi@example.org', issuer: 'Helpdesk & Co' });
    expect(uri).toBe(
      'otpauth://totp/Helpdesk%20%26%20Co:anna%20rossi%40example.org' +
        '?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Helpdesk%20%26%20Co&algorithm=SHA1&digits=6&period=30',
    );
    expect(uri).toContain(`secret=${base32Encode(RFC_SECRET)}`);
  });

  it('refuses a colon in issuer or account', () => {
    expect(() => totpUri({ secret: RFC_SECRET, account: 'a:b', issuer: 'X' })).toThrow(/must not contain/);
    expect(() => totpUri({ secret: RFC_SECRET, account: 'a', issuer: 'X:Y' })).toThrow(/must not contain/);
  });
});

describe('recovery codes', () => {
  it('generates unique, grouped codes from the unambiguous alphabet', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
    expect(generateRecoveryCodes(3)).toHaveLength(3);
  });

  it('hashes the normalised code', () => {
    const [code] = generateRecoveryCodes(1);
    if (code === undefined) throw new Error('no code generated');
    expect(hashRecoveryCode(code)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode(code.toUpperCase())).toBe(hashRecoveryCode(code));
    expect(hashRecoveryCode(` ${code.replace('-', ' ')} `)).toBe(hashRecoveryCode(code.replace('-', '')));
  });

  it('matches after normalisation, and a wrong code gives -1', () => {
    const codes = generateRecoveryCodes();
    const hashes = codes.map(hashRecoveryCode);
    codes.forEach((code, i) => {
      expect(matchRecoveryCode(code, hashes)).toBe(i);
      expect(matchRecoveryCode(code.toUpperCase().replace('-', ' '), hashes)).toBe(i);
    });
    expect(matchRecoveryCode('zzzzz-zzzzz', hashes)).toBe(-1);
    expect(matchRecoveryCode('', hashes)).toBe(-1);
    expect(matchRecoveryCode(codes[0] ?? '', [])).toBe(-1);
    expect(matchRecoveryCode(codes[0] ?? '', ['not-a-hash', ...hashes])).toBe(1);
  });
});
