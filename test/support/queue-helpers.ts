// Helpers for the waiting-line tests: residents with chosen triage answers, counsellors known to be on shift,
// raw events, and a snapshot of resident state in Redis that proves a refusal stored nothing.
import type { AckResult, Association, ClaimResult, Language, QueueEntry, Triage } from '../../protocol/index.ts';
import { keySpace } from '../../store/keys.ts';
import { CounsellorBot, DEFAULT_TRIAGE, ResidentBot } from '../sim/bots.ts';
import { AckError, call, type BotSocket } from '../sim/chat-peer.ts';
import { scanKeys, type TestCluster } from './cluster.ts';
import { waitFor } from './wait.ts';

/** Creates residents and counsellors for one cluster and takes them all down again after each test. */
export class Cast {
  private readonly residents: ResidentBot[] = [];
  private readonly counsellors: CounsellorBot[] = [];
  private serial = 0;

  constructor(readonly cluster: TestCluster) {}

  get keys() {
    return keySpace(this.cluster.config.KEY_PREFIX);
  }

  /** A resident (not joined yet) with the default answers overridden by `triage`. */
  resident(triage: Partial<Triage> = {}, node = 0): ResidentBot {
    const bot = new ResidentBot(this.cluster.urls[node]!, this.cluster.pins, { ...DEFAULT_TRIAGE, ...triage });
    this.residents.push(bot);
    return bot;
  }

  /** A resident who has joined and been placed in the line by the triage worker. */
  async waiting(triage: Partial<Triage> = {}, node = 0): Promise<{ bot: ResidentBot; ticketId: string }> {
    const bot = this.resident(triage, node);
    const { ticketId } = await bot.join();
    return { bot, ticketId };
  }

  /** A fresh counsellor account, connected, and on shift (the shift is recorded in the background). */
  async counsellor(o: { association: Association; capacity?: number; languages?: Language[]; node?: number }): Promise<CounsellorBot> {
    const username = `${o.association === 'ebano' ? 'eb' : 'td'}${++this.serial}x${Math.random().toString(36).slice(2, 6)}`;
    const c = await this.cluster.addCounsellor({ username, association: o.association, capacity: o.capacity, languages: o.languages });
    const bot = await CounsellorBot.connect(this.cluster.urls[o.node ?? 0]!, c.username, c.password);
    this.counsellors.push(bot);
    await waitFor(() => this.onShift(bot.id), 5_000, `${username} on shift`);
    return bot;
  }

  async onShift(counsellorId: string): Promise<boolean> {
    return (await this.cluster.redis.zScore(this.keys.shift(), counsellorId)) !== null;
  }

  /** Closes one counsellor's connection and waits until the server has taken her off shift. */
  async disconnect(bot: CounsellorBot): Promise<void> {
    bot.close();
    this.counsellors.splice(this.counsellors.indexOf(bot), 1);
    await waitFor(async () => !(await this.onShift(bot.id)), 5_000, 'counsellor off shift');
  }

  /** Every resident leaves (purging her ticket and chat), every counsellor disconnects and leaves the shift. */
  async dismiss(): Promise<void> {
    for (const r of this.residents.splice(0)) {
      // Ends her visit whatever state it is in; NOT_FOUND when it has already ended is fine.
      if (r.ticket) await r.leave('abandon').catch(() => undefined);
      r.close();
    }
    const gone = this.counsellors.splice(0);
    for (const c of gone) c.close();
    for (const c of gone) await waitFor(async () => !(await this.onShift(c.id)), 5_000, 'counsellors off shift');
  }
}

export async function lineOf(c: CounsellorBot): Promise<QueueEntry[]> {
  return (await call<{ entries: QueueEntry[] }>(c.socket, 'queue:list', {})).entries;
}

/** Claims without answering the handshake: the next resident she may take, or a specific one. */
export function takeNext(c: CounsellorBot, ticketId?: string): Promise<ClaimResult> {
  return call<ClaimResult>(c.socket, 'queue:claim', ticketId ? { ticketId } : {});
}

/** The error code of a refused call (fails the test if the call succeeded). */
export async function refusal(p: Promise<unknown>): Promise<AckError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AckError) return err;
    throw err;
  }
  throw new Error('expected the call to be refused, but it succeeded');
}

export async function emitRaw(s: BotSocket, event: string, ...args: unknown[]): Promise<AckResult<unknown>> {
  return (s.timeout(5000) as unknown as { emitWithAck(e: string, ...a: unknown[]): Promise<AckResult<unknown>> }).emitWithAck(
    event,
    ...args,
  );
}

/**
 * Resident and shift state in the ephemeral Redis, as sorted `key=value` lines. Left out: BullMQ's own
 * bookkeeping (':bull:') and the anonymous aggregates (`<prefix>agg`, its roll-up lock `<prefix>agg:lock`),
 * where a refusal is counted by design.
 */
export async function residentState(cluster: TestCluster): Promise<string[]> {
  return (await scanKeys(cluster.redis, cluster.config.KEY_PREFIX))
    .filter((k) => !k.key.includes(':bull:') && !isAnonymousCount(cluster, k.key))
    .map((k) => `${k.key}=${sortedHash(k.value)}`)
    .sort();
}

/**
 * Keys of anonymous counts that change on their own or are meant to count refusals and reads: the aggregates
 * stream and its minute/day counters, the supervisors' board and its minute samples. None names anyone.
 */
export function isAnonymousCount(cluster: TestCluster, key: string): boolean {
  const rest = key.slice(cluster.config.KEY_PREFIX.length);
  return /^(agg|board|levels|levels-lock)(:|$)/.test(rest);
}

/** A hash dump with its fields sorted: Redis may return an unchanged hash's fields in another order. */
function sortedHash(value: string): string {
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return JSON.stringify(Object.fromEntries(Object.entries(parsed).sort(([a], [b]) => a.localeCompare(b))));
  } catch {
    // not JSON: compare as is
  }
  return value;
}

/** Pretends she joined at `joinedAt` (ms): the engine reads her waiting time from the ticket's `joined` field. */
export async function backdate(cluster: TestCluster, ticketId: string, joinedAt: number): Promise<void> {
  const key = keySpace(cluster.config.KEY_PREFIX).ticket(ticketId);
  if (!(await cluster.redis.exists(key))) throw new Error('backdate: no such ticket');
  await cluster.redis.hSet(key, 'joined', String(joinedAt));
}
