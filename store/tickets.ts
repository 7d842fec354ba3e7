// The waiting line and residents' tickets in the ephemeral Redis: join, presence, resume, listing, purge.
import { createHash } from 'node:crypto';
import type { Association, QueueEntry, Triage, UrgencyClass } from '../protocol/index.ts';
import type { KeySpace } from './keys.ts';
import type { Redis } from './redis.ts';
import { runScript } from './scripts.ts';

export interface TicketRecord {
  ticketId: string;
  state: 'triage' | 'waiting' | 'rekey' | 'assigned' | 'active';
  entry: QueueEntry;
  kx: string;
  nonce: string;
  chatId: string | null;
  counsellorId: string | null;
  /** Socket id that holds the ticket now, '' while she is disconnected. */
  sock: string;
  /** When she disconnected (ms), or null while connected. */
  goneAt: number | null;
  /** A colleague who accepted a transfer of her chat: her fresh keys go to that colleague, not the line. */
  reservedFor: string | null;
  /** Her class from triage, before any aging (what the anonymous counts use). */
  triageClass: UrgencyClass;
}

export interface Purged {
  chatId: string | null;
  counsellorId: string | null;
  /** The state she was in; null when there was nothing to purge (someone else purged first). */
  state: string | null;
  association: string | null;
  urgency: number | null;
  joinedAt: number | null;
  chatAssociation: string | null;
  chatCreatedAt: number | null;
  goneAt: number | null;
  /** A transfer offer that was pending for her chat, and the colleague it was offered to (to withdraw it). */
  transferOffer: { offerId: string; to: string } | null;
}

/** Where her fresh keys took her: back in the line, or straight to the colleague who accepted her transfer. */
export type RekeyOutcome = { claimed: null } | { claimed: { chatId: string; counsellorId: string } };

/** The colleague a ticket is reserved for, as the caller found her: can she take a chat now, and of which association. */
export interface Reservation {
  counsellorId: string;
  /** 0 when she cannot take chats now (off shift, disabled, uncertified). */
  capacity: number;
  association: string;
  chatId: string;
  now: number;
}

/** Scores order the line by urgency class first, then arrival: class * 1e13 + joined-at ms. */
export function lineScore(urgency: UrgencyClass, joinedAt: number): number {
  return urgency * 1e13 + joinedAt;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Safety cap on one read of the line (MAX_LINE_LENGTH is at most 10,000 per association). */
export const LINE_READ_CAP = 25_000;

export class TicketStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
    private readonly ttlSeconds: number,
  ) {}

  /** Registers her for triage; throws ScriptError('QUEUE_FULL') when every line she accepts is at its association's `maxLine`. */
  async join(args: {
    ticketId: string;
    resumeToken: string;
    triage: Triage;
    kx: string;
    nonce: string;
    now: number;
    maxLine: Record<Association, number>;
  }): Promise<void> {
    const resumeKey = this.keys.resume(hashToken(args.resumeToken));
    const t = args.triage;
    await runScript(
      this.redis,
      'join',
      [this.keys.ticket(args.ticketId), this.keys.line(), this.keys.triage(), resumeKey],
      [
        this.keys.prefix,
        args.ticketId,
        this.ttlSeconds,
        `${args.maxLine['telefono-donna']},${args.maxLine.ebano}`,
        t.association,
        args.now,
        ...['state', 'triage', 'assoc', t.association, 'lang', t.language, 'danger', t.danger],
        ...['canWrite', t.canWrite, 'topics', t.topics.join(','), 'kx', args.kx, 'nonce', args.nonce],
        ...['joined', args.now, 'rk', resumeKey, 'sock', '', 'gone', ''],
      ],
    );
  }

  /** Triage worker: place the ticket in the line with its class; false if she left meanwhile. */
  async enterLine(ticketId: string, urgency: UrgencyClass, joinedAt: number): Promise<boolean> {
    const placed = await runScript(
      this.redis,
      'enter-line',
      [this.keys.ticket(ticketId), this.keys.triage(), this.keys.line()],
      [ticketId, urgency, lineScore(urgency, joinedAt), this.ttlSeconds],
    );
    return placed === 1;
  }

  /** Promotes residents who waited long enough (see age.lua) by their association's interval; returns how many moved up. */
  async age(now: number, agingMs: Record<Association, number>): Promise<number> {
    const steps = `${agingMs['telefono-donna']},${agingMs.ebano}`;
    return (await runScript(this.redis, 'age', [this.keys.line()], [this.keys.prefix, now, steps, this.ttlSeconds])) as number;
  }

  /**
   * Fresh handshake keys after a requeue; back to the front of her class, or claimed for the colleague her
   * ticket is reserved for (transfer) when `reservation` names her and she has room. Throws ScriptError WRONG_STATE.
   */
  async rekey(ticketId: string, kx: string, nonce: string, reservation?: Reservation): Promise<RekeyOutcome> {
    const extra = reservation
      ? [this.keys.prefix, reservation.counsellorId, reservation.capacity, reservation.chatId, reservation.now, reservation.association]
      : [];
    const r = await runScript(
      this.redis,
      'rekey',
      [this.keys.ticket(ticketId), this.keys.line()],
      [ticketId, kx, nonce, this.ttlSeconds, ...extra],
    );
    if (Array.isArray(r) && typeof r[0] === 'string' && typeof r[1] === 'string') return { claimed: { chatId: r[0], counsellorId: r[1] } };
    return { claimed: null };
  }

  /** The categorical answers of a ticket still waiting for triage, or null. */
  async triageAnswers(ticketId: string): Promise<{ danger: string; canWrite: string; association: string; joinedAt: number } | null> {
    const [state, danger, canWrite, association, joined] = await this.redis.hmGet(this.keys.ticket(ticketId), [
      'state',
      'danger',
      'canWrite',
      'assoc',
      'joined',
    ]);
    if (state !== 'triage' || !danger || !canWrite || !association || !joined) return null;
    return { danger, canWrite, association, joinedAt: Number(joined) };
  }

  async ticketForResumeToken(token: string): Promise<string | null> {
    return (await this.redis.get(this.keys.resume(hashToken(token)))) ?? null;
  }

  async get(ticketId: string): Promise<TicketRecord | null> {
    const h = await this.redis.hGetAll(this.keys.ticket(ticketId));
    return h.state ? toRecord(ticketId, h) : null;
  }

  async presence(ticketId: string, up: boolean, socketId: string, now: number): Promise<boolean> {
    const changed = await runScript(this.redis, 'presence', [this.keys.ticket(ticketId)], [up ? 'up' : 'down', socketId, now]);
    return changed === 1;
  }

  async purge(ticketId: string): Promise<Purged> {
    const r = (await runScript(
      this.redis,
      'purge',
      [this.keys.ticket(ticketId), this.keys.line(), this.keys.triage()],
      [this.keys.prefix, ticketId],
    )) as string[];
    const str = (i: number) => r[i] || null;
    const num = (i: number) => (r[i] ? Number(r[i]) : null);
    return {
      chatId: str(0),
      counsellorId: str(1),
      state: str(2),
      association: str(3),
      urgency: num(4),
      joinedAt: num(5),
      chatAssociation: str(6),
      chatCreatedAt: num(7),
      goneAt: num(8),
      transferOffer: r[9] ? { offerId: r[9], to: r[10] ?? '' } : null,
    };
  }

  /**
   * Waiting tickets in line order (urgency, then arrival). The whole line is read: joins are bounded per
   * association, but requeued residents re-enter above that bound, and a cut would hide someone.
   */
  async waiting(limit = LINE_READ_CAP): Promise<TicketRecord[]> {
    const ids = await this.redis.zRange(this.keys.line(), 0, limit - 1);
    if (ids.length === 0) return [];
    const multi = this.redis.multi();
    for (const id of ids) multi.hGetAll(this.keys.ticket(id));
    const rows = (await multi.exec()) as unknown as Record<string, string>[];
    const out: TicketRecord[] = [];
    ids.forEach((id, i) => {
      const h = rows[i];
      if (h && h.state === 'waiting') out.push(toRecord(id, h));
    });
    return out;
  }

  async lineLength(): Promise<number> {
    return this.redis.zCard(this.keys.line());
  }
}

function toRecord(ticketId: string, h: Record<string, string>): TicketRecord {
  return {
    ticketId,
    state: h.state as TicketRecord['state'],
    entry: {
      ticketId,
      // The class she is ranked in now (aging may have promoted her), not only her triage class.
      urgency: (Number(h.class ?? h.urgency) || 3) as UrgencyClass,
      language: h.lang as QueueEntry['language'],
      association: h.assoc as QueueEntry['association'],
      danger: h.danger as QueueEntry['danger'],
      canWrite: h.canWrite as QueueEntry['canWrite'],
      topics: (h.topics ? h.topics.split(',') : []) as QueueEntry['topics'],
      waitingSince: Number(h.joined),
    },
    kx: h.kx ?? '',
    nonce: h.nonce ?? '',
    chatId: h.chat || null,
    counsellorId: h.counsellor || null,
    sock: h.sock ?? '',
    goneAt: h.gone ? Number(h.gone) : null,
    reservedFor: h.reserved || null,
    triageClass: (Number(h.urgency) || 3) as UrgencyClass,
  };
}
