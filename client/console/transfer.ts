// Transfer, the console's side: colleagues are offered as recipients only once their certificate verifies
// against the pinned association keys (the key a note is sealed to comes from that certificate, never from the
// server's word), notes are sealed and signed with her identity key, and offers made to her are checked the same
// way before their note is shown. Pure functions over the lazily loaded crypto module.
import type * as Crypto from '../../crypto/index.ts';
import type { Colleague, QueueEntry, TransferOffer, TransferResult } from '../../protocol/events.ts';
import type { Association } from '../../protocol/triage.ts';
import { ASSOCIATIONS, isAssociation } from '../shared/contract.ts';

type CryptoModule = typeof Crypto;

/** A colleague whose certificate verified, with the key her note would be sealed to. */
export interface ColleagueChoice {
  counsellorId: string;
  alias: string;
  association: Association;
  languages: Colleague['languages'];
  availability: Colleague['availability'];
  freeSlots: number;
}

export interface VerifiedColleague extends ColleagueChoice {
  identityPublicKey: Uint8Array;
}

export interface ColleagueList {
  loading: boolean;
  list: readonly ColleagueChoice[];
  /** Listed by the server but refused here (certificate does not verify): never offered as a recipient. */
  refused: number;
  error: string | null;
}

/** A transfer offered to her, as the console shows it. */
export interface IncomingOffer {
  offerId: string;
  chatId: string;
  fromAlias: string;
  fromAssociation: Association;
  /** The sender's certificate verified against the pinned keys (alias and association are hers). */
  verified: boolean;
  entry: QueueEntry;
  /** The note, opened and its signature checked; null when there is none or it could not be opened. */
  note: string | null;
  /** Why a note that came with the offer is not shown. */
  noteProblem: string | null;
  /** Local time (ms) after which the offer is gone. */
  deadline: number;
  answering: boolean;
  error: string | null;
}

/** What became of a transfer she started, shown in that chat. */
export type OutgoingTransfer =
  { state: 'pending'; alias: string; deadline: number } | { state: 'declined' | 'expired' | 'withdrawn'; alias: string };

/** Handed to her with a note: shown at the top of the chat she took over. */
export interface Handoff {
  fromAlias: string;
  note: string | null;
}

export const EMPTY_COLLEAGUES: ColleagueList = { loading: false, list: [], refused: 0, error: null };

/** Pinned association keys from the build; a malformed entry is skipped, so it can never verify anyone. */
export function decodePins(crypto: CryptoModule, pins: Readonly<Record<string, string>>): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const [association, b64] of Object.entries(pins)) {
    try {
      out[association] = crypto.fromB64(b64, crypto.SIGN_PUBLIC_KEY_BYTES);
    } catch {
      // Skipped on purpose (see above).
    }
  }
  return out;
}

/** The certificate's identity key if it verifies now and names this counsellor; null otherwise. */
function certifiedKey(
  crypto: CryptoModule,
  pinned: Record<string, Uint8Array>,
  cert: Colleague['certificate'],
  counsellorId: string,
): Crypto.Certificate | null {
  try {
    const c = crypto.certificateFromWire(cert);
    crypto.verifyCertificate(c, pinned, ASSOCIATIONS, Date.now());
    return c.counsellorId === counsellorId && isAssociation(c.association) ? c : null;
  } catch {
    return null;
  }
}

/** Colleagues whose certificates verify; alias and association are taken from the certificate. */
export function verifyColleagues(
  crypto: CryptoModule,
  pinned: Record<string, Uint8Array>,
  colleagues: readonly Colleague[],
): { verified: VerifiedColleague[]; refused: number } {
  const verified: VerifiedColleague[] = [];
  let refused = 0;
  for (const c of colleagues) {
    const cert = certifiedKey(crypto, pinned, c.certificate, c.counsellorId);
    if (!cert || !isAssociation(cert.association)) {
      refused++;
      continue;
    }
    verified.push({
      counsellorId: c.counsellorId,
      alias: cert.alias,
      association: cert.association,
      languages: c.languages,
      availability: c.availability,
      freeSlots: c.freeSlots,
      identityPublicKey: cert.identityPublicKey,
    });
  }
  return { verified, refused };
}

export function sealNote(
  crypto: CryptoModule,
  args: { text: string; chatId: string; identitySecretKey: Uint8Array; recipient: VerifiedColleague },
): string {
  const sealed = crypto.sealHandoffNote({
    text: args.text,
    chatId: args.chatId,
    senderIdentitySecretKey: args.identitySecretKey,
    recipientIdentityPublicKey: args.recipient.identityPublicKey,
  });
  return crypto.toB64(sealed);
}

/** Checks the sender's certificate and opens the note; an unverifiable offer is still shown, marked, without its note. */
export function readOffer(
  crypto: CryptoModule,
  pinned: Record<string, Uint8Array>,
  identitySecretKey: Uint8Array,
  offer: TransferOffer,
  now: number,
): IncomingOffer {
  const cert = certifiedKey(crypto, pinned, offer.from.certificate, offer.from.counsellorId);
  const base = {
    offerId: offer.offerId,
    chatId: offer.chatId,
    fromAlias: cert?.alias ?? offer.from.alias,
    fromAssociation: cert && isAssociation(cert.association) ? cert.association : offer.from.association,
    verified: cert !== null,
    entry: offer.entry,
    deadline: now + Math.max(0, offer.expiresInSeconds) * 1000,
    answering: false,
    error: null,
  };
  if (offer.note === null) return { ...base, note: null, noteProblem: null };
  if (!cert) return { ...base, note: null, noteProblem: "The sender's certificate does not verify, so her note is not shown." };
  try {
    const note = crypto.openHandoffNote({
      sealed: crypto.fromB64(offer.note),
      chatId: offer.chatId,
      recipientIdentitySecretKey: identitySecretKey,
      senderIdentityPublicKey: cert.identityPublicKey,
    });
    return { ...base, note, noteProblem: null };
  } catch {
    return { ...base, note: null, noteProblem: 'The note could not be opened or its signature does not verify, so it is not shown.' };
  }
}

export function outgoingAfter(result: TransferResult): OutgoingTransfer | null {
  switch (result.outcome) {
    case 'declined':
    case 'expired':
    case 'withdrawn':
      return { state: result.outcome, alias: result.colleague.alias };
    case 'accepted':
      return null;
    default:
      return null;
  }
}
