// The plaintext frame inside an encrypted envelope: plain messages stay byte-identical to plain UTF-8 (old
// and new clients read each other), triage details are marked with a byte UTF-8 never contains.
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, FRAME_OVERHEAD_BYTES } from '../../client/shared/message-frame.ts';

describe('message frame', () => {
  it('a plain message is exactly its UTF-8 text', () => {
    for (const text of ['ciao', 'مرحبا', '你好', '\u00ff at the start is still text', '']) {
      expect(encodeFrame('text', text)).toEqual(new TextEncoder().encode(text));
      expect(decodeFrame(new TextEncoder().encode(text))).toEqual({ kind: 'text', text });
    }
  });

  it('triage details round-trip and are marked with 0xFF, which no UTF-8 text starts with', () => {
    const text = 'Vivo con lui, scrivo dal bagno. لا تتصلي بي';
    const frame = encodeFrame('triage-details', text);
    expect(frame[0]).toBe(0xff);
    expect(frame.length).toBe(new TextEncoder().encode(text).length + FRAME_OVERHEAD_BYTES);
    expect(decodeFrame(frame)).toEqual({ kind: 'triage-details', text });
  });

  it('an unknown kind from a newer client is shown as text, never dropped', () => {
    const frame = Uint8Array.of(0xff, 0x7f, ...new TextEncoder().encode('future'));
    expect(decodeFrame(frame)).toEqual({ kind: 'text', text: 'future' });
  });

  it('invalid UTF-8 is refused, not shown as replacement characters', () => {
    expect(() => decodeFrame(Uint8Array.of(0xc3, 0x28))).toThrow();
    expect(() => decodeFrame(Uint8Array.of(0xff, 0x01, 0xc3))).toThrow();
  });
});
