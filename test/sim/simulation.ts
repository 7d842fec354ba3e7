// A scripted load: N residents join at once, M counsellors take them (up to their capacity each), both sides
// exchange K end-to-end encrypted messages carrying a canary text, the resident ends the chat. Reports
// delivery counts and wait/relay latency percentiles. Bounded in time; never talks to non-loopback hosts
// unless the URL says so.
import { ASSOCIATIONS, type Triage } from '../../protocol/index.ts';
import { sodiumReady } from '../../crypto/index.ts';
import { AckError } from './chat-peer.ts';
import { Authenticator } from './authenticator.ts';
import { CounsellorBot, decodePins, ResidentBot } from './bots.ts';

export interface SimulationOptions {
  url: string | string[];
  pins: Record<string, string>;
  /** From the demo credentials file or the test cluster: `totpSecret` (base32) gives the sign-in codes. */
  counsellors: { username: string; password: string; totpSecret?: string; recoveryCodes?: string[] }[];
  residents: number;
  messages: number;
  canary: string;
  timeoutMs?: number;
  /** Triage of resident i; defaults to a mix of urgencies with association "either". */
  triage?: (i: number) => Triage;
  onProgress?: (line: string) => void;
}

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

export interface SimulationResult {
  residents: number;
  counsellors: number;
  chatsCompleted: number;
  messagesSent: number;
  messagesDelivered: number;
  decryptFailures: number;
  duplicatesDropped: number;
  waitMs: Percentiles;
  waitMsByUrgency: Record<string, Percentiles>;
  relayMs: Percentiles;
  /** Leave request to acknowledgement; the server purges every key of the visit before it acknowledges. */
  purgeMs: Percentiles;
  durationMs: number;
  errors: string[];
}

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: 0, p99: 0, max: 0, n: 0 };
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1]!, n: s.length };
}

const defaultTriage = (i: number): Triage => ({
  danger: i % 7 === 0 ? 'yes' : 'no',
  canWrite: i % 3 === 0 ? 'briefly' : 'yes',
  topics: [],
  language: 'it',
  association: 'either',
});

export async function runSimulation(o: SimulationOptions): Promise<SimulationResult> {
  await sodiumReady();
  const started = Date.now();
  const deadline = started + (o.timeoutMs ?? 120_000);
  const urls = Array.isArray(o.url) ? o.url : [o.url];
  const pins = decodePins(o.pins);
  const errors: string[] = [];
  const relay: number[] = [];
  const purges: number[] = [];
  const waits: number[] = [];
  const waitsByUrgency: Record<string, number[]> = { '1': [], '2': [], '3': [] };
  const sentAt = new Map<string, number>();
  let messagesSent = 0;
  let messagesDelivered = 0;
  let chatsCompleted = 0;
  const note = (e: unknown) => errors.length < 50 && errors.push(e instanceof Error ? e.message : String(e));
  // Counted from each peer's received list at the end, so a message that arrives before a listener could
  // be attached is still counted.
  const account = (received: { text: string; at: number }[]) => {
    for (const r of received) {
      const t0 = sentAt.get(r.text.slice(0, 24));
      if (t0 !== undefined) relay.push(r.at - t0);
      messagesDelivered++;
    }
  };
  const stamp = (tag: string) => {
    const id = `${tag}:${Math.random().toString(36).slice(2)}`.padEnd(24, '.').slice(0, 24);
    sentAt.set(id, Date.now());
    messagesSent++;
    return `${id} ${o.canary}`;
  };
  const timeLeft = () => Math.max(1, deadline - Date.now());

  const counsellors = await Promise.all(
    o.counsellors.map((c, i) =>
      CounsellorBot.connect(
        urls[i % urls.length]!,
        c.username,
        c.password,
        c.totpSecret ? new Authenticator(c.totpSecret, c.recoveryCodes) : undefined,
      ),
    ),
  );
  let remaining = o.residents;
  let stop = false;

  const residentTask = async (i: number) => {
    const triage = (o.triage ?? defaultTriage)(i);
    const bot = new ResidentBot(urls[i % urls.length]!, pins, triage);
    try {
      await bot.join({ waitForPosition: false });
      const peer = await bot.waitForChat(timeLeft());
      const wait = bot.chatAt - bot.joinedAt;
      waits.push(wait);
      waitsByUrgency[String(bot.urgency)]!.push(wait);
      for (let k = 0; k < o.messages; k++) await peer.send(stamp('r'));
      while (peer.received.length < o.messages && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      if (peer.received.length < o.messages) throw new Error('resident: counsellor messages missing');
      // Wait until the counsellor has read all of ours, so she finishes before we end.
      while (peer.peerRead < o.messages - 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const t0 = Date.now();
      await bot.leave('ended');
      purges.push(Date.now() - t0);
      chatsCompleted++;
      if (peer.decryptFailures) errors.push(`resident ${i}: ${peer.decryptFailures} decrypt failures`);
    } catch (e) {
      note(e);
    } finally {
      remaining--;
      bot.close();
    }
    return bot;
  };

  const serve = async (c: CounsellorBot) => {
    const running = new Set<Promise<unknown>>();
    const capacity = c.session.counsellor.capacity;
    while (!stop && Date.now() < deadline) {
      if (running.size >= capacity) {
        await Promise.race(running);
        continue;
      }
      let peer;
      try {
        peer = await c.claim();
      } catch (e) {
        if (e instanceof AckError && (e.code === 'NOTHING_WAITING' || e.code === 'AT_CAPACITY')) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        note(e);
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const p = (async () => {
        for (let k = 0; k < o.messages; k++) await peer.send(stamp('c'));
        while (!c.ended.has(peer.chatId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
        if (peer.received.length < o.messages) errors.push('counsellor: resident messages missing');
      })().catch(note);
      const tracked: Promise<unknown> = p.finally(() => running.delete(tracked));
      running.add(tracked);
    }
    await Promise.all(running);
  };

  const serving = counsellors.map(serve);
  const residents = await Promise.all(Array.from({ length: o.residents }, (_, i) => residentTask(i)));
  stop = true;
  await Promise.all(serving);
  for (const b of residents) if (b.peer) account(b.peer.received);
  for (const c of counsellors) for (const p of c.chats.values()) account(p.received);
  const decryptFailures =
    residents.reduce((n, b) => n + (b.peer?.decryptFailures ?? 0), 0) +
    counsellors.reduce((n, c) => n + [...c.chats.values()].reduce((m, p) => m + p.decryptFailures, 0), 0);
  const duplicatesDropped = residents.reduce((n, b) => n + (b.peer?.duplicatesDropped ?? 0), 0);
  counsellors.forEach((c) => c.close());
  if (remaining !== 0) errors.push(`${remaining} residents unfinished`);
  return {
    residents: o.residents,
    counsellors: counsellors.length,
    chatsCompleted,
    messagesSent,
    messagesDelivered,
    decryptFailures,
    duplicatesDropped,
    waitMs: percentiles(waits),
    waitMsByUrgency: Object.fromEntries(Object.entries(waitsByUrgency).map(([k, v]) => [k, percentiles(v)])),
    relayMs: percentiles(relay),
    purgeMs: percentiles(purges),
    durationMs: Date.now() - started,
    errors,
  };
}

export { ASSOCIATIONS };
