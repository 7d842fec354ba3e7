// The operators' Prometheus endpoint: valid exposition text with the named metrics and plausible values after
// some traffic, only on its own port and only with its token, and no label that names a person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import type { CounsellorBot } from '../sim/bots.ts';
import { startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';
import { Cast, emitRaw, refusal } from '../support/queue-helpers.ts';
import { waitFor } from '../support/wait.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';
/** The label names the brief allows, plus the closed lists of states, job queues and Redis roles. */
const ALLOWED_LABELS = new Set([
  'association',
  'urgency',
  'role',
  'reason',
  'code',
  'state',
  'queue',
  'redis',
  'le',
  'quantile',
  'type',
  'kind',
  'space',
  'version',
  'major',
  'minor',
  'patch',
]);

let cluster: TestCluster;
let cast: Cast;
let metricsUrl: string;

beforeAll(async () => {
  cluster = await startCluster({ env: { METRICS_PORT: '0', METRICS_TOKEN: TOKEN, MAX_LINE_LENGTH: '2', NO_REPLY_SECONDS: '3600' } });
  cast = new Cast(cluster);
  metricsUrl = cluster.nodes[0]!.metrics!.url();
});
afterAll(async () => {
  await cast?.dismiss();
  await cluster?.close();
  await stopSharedRedis();
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\["\\\\n])*"`;
const SAMPLE = new RegExp(
  `^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? (-?(?:\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?|NaN|\\+Inf|-Inf))(?: -?\\d+)?$`,
);

/** Parses Prometheus text format 0.0.4 strictly: every line is a comment (HELP/TYPE), a sample, or empty (allowed between families). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  expect(lines.at(-1)).toBe('');
  for (const line of lines.slice(0, -1)) {
    if (line === '') continue;
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) {
      expect(line).toMatch(new RegExp(`^# (HELP|TYPE) ${NAME} .+$`));
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

const scrape = (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => fetch(metricsUrl, { headers });

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('metrics endpoint', () => {
  it('serves valid Prometheus text with the named metrics after traffic, labels naming nobody', async () => {
    const c: CounsellorBot = await cast.counsellor({ association: 'ebano', capacity: 2 });
    const chatting = await cast.waiting({ association: 'ebano', danger: 'no', canWrite: 'yes', language: 'it' });
    const waiting = await cast.waiting({ association: 'ebano', danger: 'yes', canWrite: 'yes', language: 'ar' });
    // The ebano line holds 2 = MAX_LINE_LENGTH: a third is refused (full).
    expect((await refusal(cast.resident({ association: 'ebano' }).join())).code).toBe('QUEUE_FULL');
    // A refusal for nobody on shift at telefono-donna.
    expect((await refusal(cast.resident({ association: 'telefono-donna' }).join())).code).toBe('NOBODY_ON_SHIFT');
    const counsellorPeer = await c.claim(chatting.ticketId);
    const residentPeer = await chatting.bot.waitForChat();
    for (let i = 0; i < 3; i++) await residentPeer.send(`hello ${i}`);
    await counsellorPeer.send('hi');
    await waitFor(() => counsellorPeer.received.length === 3 && residentPeer.received.length === 1, 10_000, 'messages delivered');
    // An event the resident may not send: FORBIDDEN.
    const forbidden = await emitRaw(waiting.bot.socket, 'queue:list', {});
    expect(forbidden.ok).toBe(false);

    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const samples = parse(text);

    // Process figures from prom-client's defaults, among them the event-loop lag.
    expect(value(samples, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    // The line (cluster-wide): one class-1 resident waits for ebano; the chatting one left the line.
    expect(value(samples, 'helpdesk_waiting', { association: 'ebano', urgency: '1' })).toBe(1);
    expect(value(samples, 'helpdesk_waiting', { association: 'ebano', urgency: '3' })).toBe(0);
    expect(value(samples, 'helpdesk_waiting', { association: 'either', urgency: '2' })).toBe(0);
    expect(value(samples, 'helpdesk_oldest_wait_seconds', { association: 'ebano' })).toBeGreaterThan(0);
    expect(value(samples, 'helpdesk_oldest_wait_seconds', { association: 'ebano' })).toBeLessThan(120);
    expect(value(samples, 'helpdesk_active_chats', { association: 'ebano' })).toBe(1);
    expect(value(samples, 'helpdesk_active_chats', { association: 'telefono-donna' })).toBe(0);
    expect(value(samples, 'helpdesk_counsellors', { association: 'ebano', state: 'available' })).toBe(1);
    // This node's counters.
    expect(value(samples, 'helpdesk_connected_sockets', { role: 'counsellor' })).toBe(1);
    expect(value(samples, 'helpdesk_connected_sockets', { role: 'resident' })).toBeGreaterThanOrEqual(2);
    expect(value(samples, 'helpdesk_messages_relayed_total', { role: 'resident' })).toBe(3);
    expect(value(samples, 'helpdesk_messages_relayed_total', { role: 'counsellor' })).toBe(1);
    expect(value(samples, 'helpdesk_claims_total', { association: 'ebano' })).toBe(1);
    expect(value(samples, 'helpdesk_refusals_total', { association: 'ebano', reason: 'full' })).toBe(1);
    expect(value(samples, 'helpdesk_refusals_total', { association: 'telefono-donna', reason: 'nobody' })).toBe(1);
    expect(value(samples, 'helpdesk_socket_errors_total', { code: 'FORBIDDEN', role: 'resident' })).toBe(1);
    expect(value(samples, 'helpdesk_socket_errors_total', { code: 'QUEUE_FULL', role: 'resident' })).toBe(1);
    expect(value(samples, 'helpdesk_redis_ping_seconds_count', { redis: 'ephemeral' })).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'helpdesk_redis_ping_seconds_count', { redis: 'durable' })).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'helpdesk_jobs', { queue: 'no-reply', state: 'delayed' })).toBe(1);
    expect(samples.some((s) => s.name === 'helpdesk_board_compute_seconds_bucket')).toBe(false); // nobody watches the board

    // Labels: only the allowed names, and no value equal to (or containing) an id, alias, username or token.
    const secrets = [
      chatting.ticketId,
      waiting.ticketId,
      chatting.bot.ticket!.resumeToken,
      waiting.bot.ticket!.resumeToken,
      counsellorPeer.chatId,
      c.id,
      c.session.token,
      c.session.counsellor.alias,
      c.session.counsellor.username,
      TOKEN,
    ];
    for (const s of samples) {
      for (const [k, v] of Object.entries(s.labels)) {
        expect(ALLOWED_LABELS.has(k), `label ${k} of ${s.name}`).toBe(true);
        for (const secret of secrets) expect(v.toLowerCase()).not.toContain(secret.toLowerCase());
      }
    }
    for (const secret of secrets.slice(0, -1)) expect(text).not.toContain(secret);
  });

  it('refuses a scrape without the token or with a wrong one, and serves nothing else', async () => {
    const none = await scrape({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.text()).not.toMatch(/helpdesk_/);
    expect((await scrape({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await scrape({ authorization: TOKEN })).status).toBe(401);
    expect((await fetch(metricsUrl.replace('/metrics', '/'), { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    expect((await fetch(metricsUrl, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it('is not served on the public port', async () => {
    const main = await fetch(`${cluster.urls[0]}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(main.status).toBe(404);
    expect(await main.text()).not.toMatch(/helpdesk_|nodejs_/);
    expect(new URL(metricsUrl).port).not.toBe(new URL(cluster.urls[0]!).port);
    expect(new URL(metricsUrl).hostname).toBe('127.0.0.1');
  });

  it('is off unless METRICS_PORT is set, and refuses a non-loopback host without a token', () => {
    expect(loadConfig({}).METRICS_PORT).toBeUndefined();
    expect(() => loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', METRICS_TOKEN: TOKEN }).METRICS_HOST).toBe('0.0.0.0');
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(ConfigError);
  });
});
