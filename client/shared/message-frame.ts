// What goes inside an encrypted chat envelope. A plain message is its UTF-8 text, exactly as it always was, so
// old and new clients read each other's messages. A marked message starts with 0xFF, a byte that never occurs
// in UTF-8 (so no plain message can be mistaken for one), then one kind byte, then its UTF-8 text. The relay
// sees neither: the frame is padded and sealed like any message.

export type MessageKind = 'text' | 'triage-details';

const MARK = 0xff;
/** Kind bytes of marked messages; 'text' is never marked. Never reuse a retired number. */
const KIND_BYTE = { 'triage-details': 0x01 } as const satisfies Record<Exclude<MessageKind, 'text'>, number>;
/** Bytes a marked frame adds to its text. */
export const FRAME_OVERHEAD_BYTES = 2;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeFrame(kind: MessageKind, text: string): Uint8Array {
  const body = encoder.encode(text);
  if (kind === 'text') return body;
  const out = new Uint8Array(FRAME_OVERHEAD_BYTES + body.length);
  out[0] = MARK;
  out[1] = KIND_BYTE[kind];
  out.set(body, FRAME_OVERHEAD_BYTES);
  body.fill(0);
  return out;
}

/**
 * Reads a frame; throws a TypeError when the text is not valid UTF-8. A kind byte this client does not know
 * (a newer client's) is shown as plain text rather than dropped: she must never miss what was written.
 */
export function decodeFrame(bytes: Uint8Array): { kind: MessageKind; text: string } {
  if (bytes[0] !== MARK) return { kind: 'text', text: decoder.decode(bytes) };
  const kind = bytes[1] === KIND_BYTE['triage-details'] ? 'triage-details' : 'text';
  return { kind, text: decoder.decode(bytes.subarray(FRAME_OVERHEAD_BYTES)) };
}
