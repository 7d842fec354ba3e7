// A counsellor's authenticator app for the bots, the simulator and the tests: gives a sign-in code the server
// will accept now. The server refuses a time step that was already used (RFC 6238 section 5.2), so two
// sign-ins of one counsellor inside 30 s need two different steps: this takes the current step, then the next
// one (the server accepts one step ahead for clock drift), and only then falls back to a recovery code.
import { base32Decode, hotp } from '../../server/accounts/totp.ts';

const PERIOD_MS = 30_000;

export class Authenticator {
  private lastStep = -1;
  private readonly secret: Uint8Array;
  private readonly recoveryCodes: string[];

  constructor(
    readonly secretBase32: string,
    recoveryCodes: readonly string[] = [],
  ) {
    this.secret = base32Decode(secretBase32);
    this.recoveryCodes = [...recoveryCodes];
  }

  /** A code not given out before: a TOTP code for the current or next step, else an unused recovery code. */
  next(now = Date.now()): string {
    const current = Math.floor(now / PERIOD_MS);
    // Never the previous step: the request may reach the server just after a step boundary, which moves the
    // server's window forward by one.
    const step = Math.max(current, this.lastStep + 1);
    if (step <= current + 1) {
      this.lastStep = step;
      return hotp(this.secret, step);
    }
    const recovery = this.recoveryCodes.shift();
    if (recovery) return recovery;
    throw new Error('Authenticator: both usable time steps are taken and no recovery code is left; sign in less often per 30 s');
  }

  /** Recovery codes handed out once both usable steps of the current 30 s are taken. */
  addRecoveryCodes(codes: readonly string[]): void {
    this.recoveryCodes.push(...codes);
  }

  /** The code for the current step, whether or not it was given out (to test replays). */
  current(now = Date.now()): string {
    return hotp(this.secret, Math.floor(now / PERIOD_MS));
  }
}

// Usernames are unique within a test file's clusters, and each file runs in its own process.
const byUsername = new Map<string, Authenticator>();

export function registerAuthenticator(username: string, authenticator: Authenticator): void {
  byUsername.set(username, authenticator);
}

export function authenticatorFor(username: string): Authenticator | undefined {
  return byUsername.get(username);
}
