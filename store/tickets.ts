// The waiting line and residents' tickets in the ephemeral Redis: join, presence, resume, listing, purge.
import { createHash } from 'node:crypto';
import type { QueueEntry, Triage, UrgencyClass } from '../protocol/index.ts';
import { urgencyOf } from '../protocol/index.ts';
import type { KeySpace } from './keys.ts';
import type { Redis } from './redis.ts';
import { runScript } from './scripts.ts';

export interface TicketRecord {
  ticketId: string;
  state: 'waiting' | 'assigned' | 'active';
  entry: QueueEntry;
  kx: string;
  nonce: string;
  chatId: string | null;
  counsellorId: string | null;
  /** Socket id that holds the ticket now, '' while she is disconnected. */
  sock: string;
  /** When she disconnected (ms), or null while connected. */
  goneAt: number | null;
}

export interface Purged {
  chatId: string | null;
  counsellorId: string | null;
  state: string | null;
}

/** Scores order the line by urgency class first, then arrival: class * 1e13 + joined-at ms. */
export function lineScore(urgency: UrgencyClass, joinedAt: number): number {
  return urgency * 1e13 + joinedAt;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export class TicketStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
    private readonly ttlSeconds: number,
  ) {}

  /** Adds her to the line; throws ScriptError('QUEUE_FULL') when the line is at `maxLine`. */
  async join(args: { ticketId: string; resumeToken: string; triage: Triage; kx: string; nonce: string; now: number; maxLine: number }): Promise<{ position: number; urgency: UrgencyClass }> {
    const urgency = urgencyOf(args.triage);
    const resumeKey = this.keys.resume(hashToken(args.resumeToken));
    const t = args.triage;
    const position = (await runScript(
      this.redis,
      'join',
      [this.keys.ticket(args.ticketId), this.keys.line(), resumeKey],
      [
        args.ticketId,
        this.ttlSeconds,
        args.maxLine,
        lineScore(urgency, args.now),
        ...['state', 'waiting', 'assoc', t.association, 'lang', t.language, 'urgency', urgency, 'danger', t.danger],
        ...['canWrite', t.canWrite, 'topics', t.topics.join(','), 'kx', args.kx, 'nonce', args.nonce],
        ...['joined', args.now, 'rk', resumeKey, 'sock', '', 'gone', ''],
      ],
    )) as number;
    return { position, urgency };
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
    const [chat, counsellor, state] = (await runScript(this.redis, 'purge', [this.keys.ticket(ticketId), this.keys.line()], [this.keys.prefix, ticketId])) as string[];
    return { chatId: chat || null, counsellorId: counsellor || null, state: state || null };
  }

  /** Waiting tickets in line order (urgency, then arrival), at most `limit`. */
  async waiting(limit: number): Promise<TicketRecord[]> {
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
      urgency: Number(h.urgency) as UrgencyClass,
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
  };
}
