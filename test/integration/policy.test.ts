// Associations' policies: a change made through one node takes effect on the queue at once on every node and
// in the workers, is written to the audit log, and invalid values are refused with a message naming the field
// while nothing changes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../protocol/index.ts';
import { PolicyError } from '../../server/policy.ts';
import type { ResidentBot } from '../sim/bots.ts';
import { startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';
import { backdate, Cast, lineOf, refusal } from '../support/queue-helpers.ts';
import { waitFor } from '../support/wait.ts';

const TD = { association: 'telefono-donna' } as const;
const EB = { association: 'ebano' } as const;
const CALM = { danger: 'no', canWrite: 'yes' } as const;

let cluster: TestCluster;
let cast: Cast;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, env: { AGING_SECONDS: '3600', AGING_CHECK_SECONDS: '1' } });
  cast = new Cast(cluster);
});
afterEach(async () => {
  await cast.dismiss();
  // Back to the environment's defaults: remove what the test set.
  for (const a of ['telefono-donna', 'ebano']) await cluster.store.del(`${cluster.config.STORE_PREFIX}policy:${a}`);
});
afterAll(async () => {
  await cluster?.close();
  await stopSharedRedis();
});

/** The policy service of node 0: where a supervisor's request lands. */
const policy = () => cluster.nodes[0]!.ctx.policy;

async function expectRefused(bot: ResidentBot, code: ErrorCode) {
  expect((await refusal(bot.join())).code).toBe(code);
}

async function auditActions(): Promise<string[]> {
  return (await cluster.nodes[0]!.ctx.accounts.auditEntries(50)).map((e) => `${e.action}:${e.target ?? ''}:${e.outcome ?? ''}`);
}

describe('policy changes take effect on the queue at once', () => {
  it('maximum line length: set on node 0, node 1 refuses the next resident of that association; the other association is untouched', async () => {
    await cast.counsellor({ ...TD, node: 1 });
    await cast.counsellor({ ...EB, node: 1 });
    await cast.waiting({ ...TD, ...CALM }, 1);
    await cast.waiting({ ...TD, ...CALM }, 1);
    const p = await policy().change('sup-td', 'telefono-donna', { maxLineLength: 2 }, Date.now());
    expect(p.maxLineLength).toBe(2);
    await expectRefused(cast.resident({ ...TD, ...CALM }, 1), 'QUEUE_FULL');
    await cast.waiting({ ...EB, ...CALM }, 1);
    await cast.waiting({ ...EB, ...CALM }, 1);
    await cast.waiting({ ...EB, ...CALM }, 1);
    // Raised again: admitted at once.
    await policy().change('sup-td', 'telefono-donna', { maxLineLength: 3 }, Date.now());
    await cast.waiting({ ...TD, ...CALM }, 1);
    expect(await auditActions()).toContain('policy-changed:telefono-donna:maxLineLength');
  });

  it('opening hours: "closed" refuses CLOSED_HOURS on both nodes at once; "24/7" admits again', async () => {
    await cast.counsellor({ ...EB, node: 0 });
    await policy().change('sup-eb', 'ebano', { openingHours: 'closed' }, Date.now());
    await expectRefused(cast.resident({ ...EB, danger: 'yes' }, 0), 'CLOSED_HOURS');
    await expectRefused(cast.resident({ ...EB, danger: 'yes' }, 1), 'CLOSED_HOURS');
    await policy().change('sup-eb', 'ebano', { openingHours: '24/7' }, Date.now());
    await cast.waiting({ ...EB, ...CALM }, 1);
  });

  it('assignment mode: switched to automatic, the next resident is assigned without anyone taking her', async () => {
    const eb = await cast.counsellor({ ...EB, node: 1 });
    const manual = await cast.waiting({ ...EB, ...CALM }, 0);
    // Manual: nobody takes her while the line flushes.
    await new Promise((r) => setTimeout(r, 400));
    expect(eb.assigned).toEqual([]);
    await policy().change('sup-eb', 'ebano', { assignment: 'auto' }, Date.now());
    const auto = await cast.waiting({ ...EB, ...CALM }, 0);
    await waitFor(() => eb.assigned.length === 2, 5_000, 'automatic assignment');
    expect(eb.assigned.map((a) => a.entry.ticketId).sort()).toEqual([manual.ticketId, auto.ticketId].sort());
  });

  it('aging time: the workers use the new interval from their next run', async () => {
    const c = await cast.counsellor(TD);
    const old = await cast.waiting({ ...TD, ...CALM });
    // Ten minutes old: nowhere near the environment's hour, past a 60 s policy.
    await backdate(cluster, old.ticketId, Date.now() - 600_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await lineOf(c)).find((e) => e.ticketId === old.ticketId)?.urgency).toBe(3);
    await policy().change('sup-td', 'telefono-donna', { agingSeconds: 60 }, Date.now());
    await waitFor(
      async () => (await lineOf(c)).find((e) => e.ticketId === old.ticketId)?.urgency === 1,
      5_000,
      'promoted by the new aging time',
    );
  });
});

describe('invalid policy values', () => {
  const cases: [string, unknown, RegExp][] = [
    ['an unknown field', { maxQueue: 3 }, /unrecognized|unknown/i],
    ['an empty change', {}, /empty/],
    ['a line length of 0', { maxLineLength: 0 }, /maxLineLength: the maximum line length must be at least 1/],
    ['a fractional aging time', { agingSeconds: 12.5 }, /agingSeconds: the aging time must be a whole number/],
    ['a string for a number', { noReplySeconds: '60' }, /noReplySeconds: the no-reply time must be a number/],
    ['an unknown assignment mode', { assignment: 'round-robin' }, /assignment/],
    ['a capacity cap of 11', { maxCapacity: 11 }, /maxCapacity: the maximum capacity must be at most 10/],
    ['malformed opening hours', { openingHours: 'mon-fry 09:00-18:00' }, /openingHours: opening hours: .*mon-fry/],
  ];
  for (const [what, patch, message] of cases) {
    it(`${what} is refused with a message naming the field; nothing changes and the refusal is audited`, async () => {
      const before = await policy().get('ebano');
      const error = await policy()
        .change('sup-eb', 'ebano', patch, Date.now())
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(PolicyError);
      expect((error as Error).message).toMatch(message);
      expect(await policy().get('ebano')).toEqual(before);
      expect(await cluster.store.hGet(`${cluster.config.STORE_PREFIX}policy:ebano`, 'policy')).toBeFalsy();
      expect((await auditActions())[0]).toMatch(/^policy-refused:ebano:/);
    });
  }

  it('a change keeps the fields set before and the defaults for the rest', async () => {
    await policy().change('sup-td', 'telefono-donna', { noReplySeconds: 90 }, Date.now());
    await policy().change('sup-td', 'telefono-donna', { maxCapacity: 5 }, Date.now());
    const p = await policy().get('telefono-donna');
    expect(p).toMatchObject({ noReplySeconds: 90, maxCapacity: 5, maxLineLength: cluster.config.MAX_LINE_LENGTH, openingHours: '24/7' });
    // Read through the other node: the same policy.
    expect(await cluster.nodes[1]!.ctx.policy.get('telefono-donna')).toEqual(p);
  });

  it('concurrent changes of different fields are both kept (compare-and-set retries)', async () => {
    await Promise.all([
      policy().change('a', 'ebano', { noReplySeconds: 77 }, Date.now()),
      cluster.nodes[1]!.ctx.policy.change('b', 'ebano', { maxLineLength: 55 }, Date.now()),
      policy().change('c', 'ebano', { agingSeconds: 66 }, Date.now()),
    ]);
    expect(await policy().get('ebano')).toMatchObject({ noReplySeconds: 77, maxLineLength: 55, agingSeconds: 66 });
  });
});
