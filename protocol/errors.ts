// The one list of error codes the server sends back through acknowledgements, with the default message a
// person reads. Clients switch on `code`; `message` is for people and logs.

export const ERROR_CODES = {
  BAD_REQUEST: 'The request was malformed.',
  PAYLOAD_TOO_LARGE: 'The request is too large.',
  RATE_LIMITED: 'Too many requests; slow down and try again shortly.',
  UNAUTHENTICATED: 'Sign in first.',
  FORBIDDEN: 'You are not allowed to do this.',
  NOT_FOUND: 'It does not exist or has already ended.',
  WRONG_STATE: 'This cannot be done at this moment.',
  QUEUE_FULL: 'The line is full right now. Call 1522 (free, 24/7) or 112 in an emergency.',
  NOBODY_ON_SHIFT: 'No counsellor is on shift right now. Call 1522 (free, 24/7) or 112 in an emergency.',
  CLOSED_HOURS: 'The chat is closed at this hour. Call 1522 (free, 24/7) or 112 in an emergency.',
  AT_CAPACITY: 'You already have as many chats as your capacity allows.',
  NOTHING_WAITING: 'Nobody you can take is waiting.',
  ALREADY_TAKEN: 'Someone else has already taken this chat.',
  OUT_OF_ORDER: 'Message sequence number is out of order.',
  CONFLICT: 'A different message with this sequence number already exists.',
  NOT_CERTIFIED: 'Your identity key is not certified by your association yet.',
  INVALID_CREDENTIALS: 'Wrong username, password or code.',
  LOCKED_OUT: 'Too many failed attempts; wait and try again.',
  WRONG_CODE: 'The code is wrong or has expired; enter the code your authenticator app shows now.',
  INVITATION_UNKNOWN: 'This invitation link is not valid. Check that you opened the whole link, or ask for a new one.',
  INVITATION_EXPIRED: 'This invitation has expired. Ask your association for a new one.',
  INVITATION_USED: 'This invitation has already been used. Sign in, or ask your association for a new one.',
  USERNAME_TAKEN: 'This username is already taken.',
  INTERNAL: 'Something went wrong on our side; try again.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** An error with a code from the list; thrown inside handlers and turned into an `{ ok: false }` ack. */
export class ProtocolError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string = ERROR_CODES[code]) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
  }
}

export function errorBody(code: ErrorCode, message?: string): ErrorBody {
  return { code, message: message ?? ERROR_CODES[code] };
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}
