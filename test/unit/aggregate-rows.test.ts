// Supervisor charts: hourly aggregates folded into Milan days and weeks (DST days have 23 and 25 hours) and
// wait percentiles read off the coarse wait buckets.
import { describe, expect, it } from 'vitest';
import { foldRows, rangeStart, startOfLocalDay, startOfLocalWeek } from '../../server/supervisor/aggregate-rows.ts';

const H = 3_600_000;

describe('Milan days and weeks', () => {
  it('a day starts at local midnight: 23:00 UTC in winter, 22:00 UTC in summer', () => {
    expect(new Date(startOfLocalDay(Date.parse('2026-01-15T12:34:00Z'))).toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(new Date(startOfLocalDay(Date.parse('2026-07-15T12:34:00Z'))).toISOString()).toBe('2026-07-14T22:00:00.000Z');
  });

  it('the spring-forward day has 23 hours and the fall-back day 25', () => {
    const march29 = startOfLocalDay(Date.parse('2026-03-29T12:00:00Z'));
    expect(startOfLocalDay(march29 + 30 * H) - march29).toBe(23 * H);
    const oct25 = startOfLocalDay(Date.parse('2026-10-25T12:00:00Z'));
    expect(startOfLocalDay(oct25 + 30 * H) - oct25).toBe(25 * H);
  });

  it('weeks start on Monday in Milan', () => {
    // Wednesday 2026-11-25 → Monday 2026-11-23 00:00 Rome = 2026-11-22T23:00Z.
    expect(new Date(startOfLocalWeek(Date.parse('2026-11-25T18:00:00Z'))).toISOString()).toBe('2026-11-22T23:00:00.000Z');
  });

  it('range start counts back whole periods, the current one included', () => {
    const now = Date.parse('2026-11-25T18:30:00Z');
    expect(new Date(rangeStart({ granularity: 'hour', count: 3 }, now)).toISOString()).toBe('2026-11-25T16:00:00.000Z');
    expect(new Date(rangeStart({ granularity: 'day', count: 2 }, now)).toISOString()).toBe('2026-11-23T23:00:00.000Z');
    expect(new Date(rangeStart({ granularity: 'week', count: 2 }, now)).toISOString()).toBe('2026-11-15T23:00:00.000Z');
  });
});

describe('folding hourly counts', () => {
  it('sums families across urgency classes and hours of the same day', () => {
    const day = startOfLocalDay(Date.parse('2026-11-25T12:00:00Z'));
    const rows = foldRows(
      [
        {
          hour: day,
          counts: { 'joined:u1': 1, 'joined:u3': 2, 'answered:u3': 2, 'wait:u3:<1m': 2, 'refused:full': 1, 'outcome:referred': 1 },
        },
        {
          hour: day + H,
          counts: { 'joined:u2': 1, 'abandoned:u2': 1, 'abandon-wait:u2:1-3m': 1, 'requeued:u1': 1, 'requeue-reason:no-reply': 1 },
        },
        { hour: day + 25 * H, counts: { 'joined:u3': 4 } },
      ],
      startOfLocalDay,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      start: day,
      joined: 4,
      answered: 2,
      abandoned: 1,
      requeued: 1,
      refused: { full: 1, closed: 0, nobody: 0 },
    });
    expect(rows[0]!.outcomes.referred).toBe(1);
    expect(rows[1]).toMatchObject({ joined: 4, answered: 0 });
  });

  it('wait percentiles are the upper bound of the bucket holding them; null when nobody was answered', () => {
    const rows = foldRows(
      [
        { hour: 0, counts: { 'wait:u1:<1m': 5, 'wait:u2:1-3m': 4, 'wait:u3:10-20m': 1 } },
        { hour: H, counts: { 'joined:u3': 1 } },
      ],
      (h) => h,
    );
    expect(rows[0]!.wait).toEqual({ p50Ms: 60_000, p90Ms: 180_000, openEnded: false });
    expect(rows[1]!.wait).toEqual({ p50Ms: null, p90Ms: null, openEnded: false });
    const slow = foldRows([{ hour: 0, counts: { 'wait:u3:40m+': 3 } }], (h) => h);
    expect(slow[0]!.wait).toEqual({ p50Ms: null, p90Ms: null, openEnded: true });
  });
});
