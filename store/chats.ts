// Chats in the ephemeral Redis: the atomic claim, the handshake, the ciphertext relay buffers with
// sequence numbers, read receipts and sync. The server never sees anything but opaque ciphertext here.
import type { Direction, RelayedMessage } from '../protocol/index.ts';
import type { KeySpace } from './keys.ts';
import type { Redis } from './redis.ts';
import { runScript } from './scripts.ts';

export interface ChatRecord {
  chatId: string;
  ticketId: string;
  counsellorId: string;
  association: string;
  state: 'assigned' | 'active';
  counsellorKx: string | null;
  signature: string | null;
  /** Highest r2c seq the counsellor has read; -1 if none. */
  readByCounsellor: number;
  /** Highest c2r seq the resident has read; -1 if none. */
  readByResident: number;
  createdAt: number;
}

export interface ClaimArgs {
  counsellorId: string;
  association: string;
  capacity: number;
  ticketId: string | null;
  chatId: string;
  languages: readonly string[] | '*';
  /** After waiting this long a resident may be taken by a counsellor who does not speak her language. */
  languageFallbackMs: number;
  now: number;
}

const MAX_SCAN = 500;

export interface PendingTransfer {
  chatId: string;
  offerId: string;
  /** The counsellor who offered the chat. */
  from: string;
  /** The colleague it is offered to. */
  to: string;
  ticketId: string;
}

export class ChatStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
    private readonly ttlSeconds: number,
  ) {}

  /** Returns the claimed ticket id; throws ScriptError AT_CAPACITY | NOTHING_WAITING | ALREADY_TAKEN | FORBIDDEN. */
  async claim(a: ClaimArgs): Promise<string> {
    return (await runScript(
      this.redis,
      'claim',
      [this.keys.line(), this.keys.load(a.counsellorId), this.keys.chat(a.chatId)],
      [
        this.keys.prefix,
        a.counsellorId,
        a.association,
        a.capacity,
        a.ticketId ?? '',
        a.chatId,
        a.now,
        this.ttlSeconds,
        a.languages === '*' ? '*' : a.languages.join(','),
        MAX_SCAN,
        a.languageFallbackMs,
      ],
    )) as string;
  }

  async handshake(chatId: string, ticketId: string, counsellorId: string, kx: string, signature: string): Promise<void> {
    await runScript(
      this.redis,
      'handshake',
      [this.keys.chat(chatId), this.keys.ticket(ticketId)],
      [counsellorId, kx, signature, this.ttlSeconds],
    );
  }

  /** Stores one ciphertext at its seq; returns 'dup' for an identical resend. */
  async append(
    chatId: string,
    role: 'resident' | 'counsellor',
    senderId: string,
    seq: number,
    nonce: string,
    ciphertext: string,
  ): Promise<'new' | 'dup'> {
    const dir: Direction = role === 'resident' ? 'r2c' : 'c2r';
    const other: Direction = dir === 'r2c' ? 'c2r' : 'r2c';
    return (await runScript(
      this.redis,
      'append',
      [this.keys.chat(chatId), this.keys.relay(chatId, dir), this.keys.relay(chatId, other)],
      [this.keys.prefix, role, senderId, seq, `${nonce}.${ciphertext}`, this.ttlSeconds],
    )) as 'new' | 'dup';
  }

  /**
   * Returns the chat to the line (see requeue.lua); null when there was nothing to requeue. A transfer to the
   * other association's line passes `holder` (only she may) and the association she is moved to.
   */
  async requeue(
    chatId: string,
    reason: 'no-reply' | 'counsellor-gone' | 'transfer',
    transfer?: { holder: string; association: string },
  ): Promise<{
    ticketId: string;
    counsellorId: string;
    association: string;
    withdrawnOffer: { offerId: string; to: string } | null;
  } | null> {
    const r = (await runScript(
      this.redis,
      'requeue',
      [this.keys.chat(chatId)],
      [this.keys.prefix, chatId, this.ttlSeconds, reason, transfer?.holder ?? '', transfer?.association ?? ''],
    )) as string[];
    if (r.length < 3) return null;
    return { ticketId: r[0]!, counsellorId: r[1]!, association: r[2]!, withdrawnOffer: r[3] ? { offerId: r[3], to: r[4] ?? '' } : null };
  }

  // ---------- transfer offers (see transfer-offer.lua and transfer-settle.lua) ----------

  /** Records the one pending offer of a chat; returns its ticket id. Throws ScriptError NOT_FOUND | FORBIDDEN | WRONG_STATE | PENDING | AT_CAPACITY. */
  async offerTransfer(a: {
    chatId: string;
    offerId: string;
    from: string;
    to: string;
    capacity: number;
    note: string | null;
    ttlSeconds: number;
    now: number;
  }): Promise<string> {
    return (await runScript(
      this.redis,
      'transfer-offer',
      [this.keys.chat(a.chatId), this.keys.transfer(a.chatId), this.keys.transferOffer(a.offerId), this.keys.load(a.to)],
      [a.from, a.to, a.offerId, a.capacity, a.note ?? '', a.ttlSeconds, a.now, a.chatId],
    )) as string;
  }

  /** Ends the pending offer of a chat; throws ScriptError NOT_FOUND | FORBIDDEN | AT_CAPACITY (accept, offer left open). */
  async settleTransfer(a: {
    chatId: string;
    offerId: string | null;
    action: 'accept' | 'decline' | 'withdraw' | 'expire';
    actor: string;
    capacity?: number;
    association?: string | null;
  }): Promise<PendingTransfer> {
    const r = (await runScript(
      this.redis,
      'transfer-settle',
      [this.keys.transfer(a.chatId)],
      [this.keys.prefix, a.chatId, a.offerId ?? '', a.action, a.actor, a.capacity ?? 0, this.ttlSeconds, a.association ?? ''],
    )) as string[];
    return { chatId: a.chatId, offerId: r[0]!, from: r[1]!, to: r[2]!, ticketId: r[3]! };
  }

  async pendingTransfer(chatId: string): Promise<(PendingTransfer & { note: string | null }) | null> {
    const h = await this.redis.hGetAll(this.keys.transfer(chatId));
    if (!h.offer) return null;
    return { chatId, offerId: h.offer, from: h.from ?? '', to: h.to ?? '', ticketId: h.ticket ?? '', note: h.note || null };
  }

  /** The chat an offer is about, or null once it has been answered, withdrawn or expired. */
  async chatOfOffer(offerId: string): Promise<string | null> {
    return (await this.redis.get(this.keys.transferOffer(offerId))) ?? null;
  }

  async markRead(chatId: string, reader: 'resident' | 'counsellor', seq: number): Promise<number> {
    return (await runScript(this.redis, 'read', [this.keys.chat(chatId)], [reader === 'counsellor' ? 'readR' : 'readC', seq])) as number;
  }

  async get(chatId: string): Promise<ChatRecord | null> {
    const h = await this.redis.hGetAll(this.keys.chat(chatId));
    if (!h.ticket) return null;
    return {
      chatId,
      ticketId: h.ticket,
      counsellorId: h.counsellor ?? '',
      association: h.assoc ?? '',
      state: h.state as ChatRecord['state'],
      counsellorKx: h.ckx || null,
      signature: h.sig || null,
      readByCounsellor: Number(h.readR ?? -1),
      readByResident: Number(h.readC ?? -1),
      createdAt: Number(h.created),
    };
  }

  /** Messages in `direction` from seq `from` on, at most `limit`, plus how many the buffer holds. */
  async messages(chatId: string, direction: Direction, from: number, limit: number): Promise<RelayedMessage[]> {
    const rows = await this.redis.lRange(this.keys.relay(chatId, direction), from, from + limit - 1);
    return rows.map((row, i) => {
      const dot = row.indexOf('.');
      return { chatId, direction, seq: from + i, nonce: row.slice(0, dot), ciphertext: row.slice(dot + 1) };
    });
  }

  async count(chatId: string, direction: Direction): Promise<number> {
    return this.redis.lLen(this.keys.relay(chatId, direction));
  }

  async chatsOf(counsellorId: string): Promise<string[]> {
    return this.redis.sMembers(this.keys.load(counsellorId));
  }
}
