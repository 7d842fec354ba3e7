// Opening hours: every form and every error of the spec language, open/closed at the edges of a rule, both DST
// changes in Europe/Rome, and the "opens again" instant a resident is shown when she arrives out of hours.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeNextOpening, isOpen, nextChange, openingHoursSchema, parseOpeningHours } from '../../server/opening-hours.ts';

// Instants are written with the offset Rome has on that date, worked out by hand: +02:00 (CEST) from
// 2026-03-29 01:00Z to 2026-10-25 01:00Z, +01:00 (CET) otherwise. The week of 11-17 May 2026 runs Monday-Sunday.
const at = (iso: string) => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test instant ${iso}`);
  return ms;
};
const may = (day: number, time: string) => at(`2026-05-${String(day).padStart(2, '0')}T${time}:00+02:00`);
const MIN = 60_000;

/** The exact message of the Error `f` throws (any other outcome fails the test). */
function thrownBy(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof Error) return err.message;
    throw new Error(`threw a non-Error: ${String(err)}`, { cause: err });
  }
  throw new Error('did not throw');
}

describe('parseOpeningHours', () => {
  it('reads 24/7 and closed, case-insensitively and with surrounding spaces', () => {
    expect(parseOpeningHours('24/7')).toEqual({ always: true, never: false, rules: [] });
    expect(parseOpeningHours('  closed ')).toEqual({ always: false, never: true, rules: [] });
    expect(parseOpeningHours('CLOSED')).toEqual({ always: false, never: true, rules: [] });
  });

  it('reads single days, ranges, wrapping ranges, 24:00 and midnight-spanning times', () => {
    expect(parseOpeningHours('mon-fri 09:00-18:00, sat 09:00-13:00, Sun 10:00-12:00')).toEqual({
      always: false,
      never: false,
      rules: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: 540, end: 1080 },
        { days: ['sat'], start: 540, end: 780 },
        { days: ['sun'], start: 600, end: 720 },
      ],
    });
    expect(parseOpeningHours('fri-mon 00:00-24:00').rules).toEqual([{ days: ['fri', 'sat', 'sun', 'mon'], start: 0, end: 1440 }]);
    expect(parseOpeningHours('fri 20:00-02:00').rules).toEqual([{ days: ['fri'], start: 1200, end: 120 }]);
    expect(parseOpeningHours('sun-mon   22:30-06:15').rules).toEqual([{ days: ['sun', 'mon'], start: 1350, end: 375 }]);
  });

  it.each([
    ['', 'opening hours: empty; use "24/7", "closed" or rules like "mon-fri 09:00-18:00"'],
    ['   ', 'opening hours: empty; use "24/7", "closed" or rules like "mon-fri 09:00-18:00"'],
    ['mon-fry 09:00-18:00', 'opening hours: "mon-fry 09:00-18:00": unknown day "fry"; days are mon tue wed thu fri sat sun'],
    ['monday 09:00-18:00', 'opening hours: "monday 09:00-18:00": unknown day "monday"; days are mon tue wed thu fri sat sun'],
    ['mon-mon 09:00-18:00', 'opening hours: "mon-mon 09:00-18:00": day range "mon-mon" starts and ends on the same day'],
    ['mon- 09:00-18:00', 'opening hours: "mon- 09:00-18:00": bad days "mon-"; expected a day like "mon" or a range like "mon-fri"'],
    [
      'mon-wed-fri 09:00-18:00',
      'opening hours: "mon-wed-fri 09:00-18:00": bad days "mon-wed-fri"; expected a day like "mon" or a range like "mon-fri"',
    ],
    ['mon 9:00-18:00', 'opening hours: "mon 9:00-18:00": bad time "9:00"; expected HH:MM from 00:00 to 23:59 (or 24:00 as an end)'],
    ['mon 09:00-25:00', 'opening hours: "mon 09:00-25:00": bad time "25:00"; expected HH:MM from 00:00 to 23:59 (or 24:00 as an end)'],
    ['mon 09:60-18:00', 'opening hours: "mon 09:60-18:00": bad time "09:60"; expected HH:MM from 00:00 to 23:59 (or 24:00 as an end)'],
    ['mon 09:00-24:01', 'opening hours: "mon 09:00-24:01": bad time "24:01"; expected HH:MM from 00:00 to 23:59 (or 24:00 as an end)'],
    ['mon 24:00-02:00', 'opening hours: "mon 24:00-02:00": bad time "24:00"; 24:00 is allowed only as an end'],
    ['mon 09:00', 'opening hours: "mon 09:00": bad time range "09:00"; expected HH:MM-HH:MM'],
    ['mon 09:00-12:00-18:00', 'opening hours: "mon 09:00-12:00-18:00": bad time range "09:00-12:00-18:00"; expected HH:MM-HH:MM'],
    ['mon 09:00-09:00', 'opening hours: "mon 09:00-09:00": start and end are both "09:00"; for a whole day write 00:00-24:00'],
    ['mon 09:00-18:00,', 'opening hours: "mon 09:00-18:00,": empty rule (commas separate rules; there are no day lists)'],
    ['mon,wed 09:00-18:00', 'opening hours: "mon": expected "DAYS HH:MM-HH:MM", e.g. "mon-fri 09:00-18:00"'],
    ['always', 'opening hours: "always": expected "DAYS HH:MM-HH:MM", e.g. "mon-fri 09:00-18:00"'],
    ['mon 09:00 - 18:00', 'opening hours: "mon 09:00 - 18:00": expected "DAYS HH:MM-HH:MM", e.g. "mon-fri 09:00-18:00"'],
    ['24/7, sat 09:00-13:00', 'opening hours: "24/7": expected "DAYS HH:MM-HH:MM", e.g. "mon-fri 09:00-18:00"'],
  ])('refuses %j with a message quoting the bad part', (spec, message) => {
    expect(thrownBy(() => parseOpeningHours(spec))).toBe(message);
  });
});

describe('openingHoursSchema', () => {
  it('parses a valid spec and reports a bad one as an issue on the variable', () => {
    const schema = z.object({ OPENING_HOURS_EBANO: openingHoursSchema.prefault('24/7') });
    expect(schema.parse({}).OPENING_HOURS_EBANO.always).toBe(true);
    expect(schema.parse({ OPENING_HOURS_EBANO: 'sat 09:00-13:00' }).OPENING_HOURS_EBANO.rules).toHaveLength(1);
    const result = schema.safeParse({ OPENING_HOURS_EBANO: 'mon-fry 09:00-18:00' });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toMatchObject([
      {
        path: ['OPENING_HOURS_EBANO'],
        message: 'opening hours: "mon-fry 09:00-18:00": unknown day "fry"; days are mon tue wed thu fri sat sun',
      },
    ]);
  });
});

describe('isOpen', () => {
  const weekdays = parseOpeningHours('mon-fri 09:00-18:00, sat 09:00-13:00');

  it('is open from the first minute of a rule and closed from its end', () => {
    expect(isOpen(weekdays, may(15, '08:59'))).toBe(false);
    expect(isOpen(weekdays, may(15, '09:00'))).toBe(true);
    expect(isOpen(weekdays, may(15, '17:59') + 59_999)).toBe(true);
    expect(isOpen(weekdays, may(15, '18:00'))).toBe(false);
    expect(isOpen(weekdays, may(16, '12:59'))).toBe(true);
    expect(isOpen(weekdays, may(16, '13:00'))).toBe(false);
    expect(isOpen(weekdays, may(17, '10:00'))).toBe(false);
  });

  it('judges by the wall clock in the given zone', () => {
    // 09:30 in Rome is 07:30Z; in UTC it is still before opening.
    expect(isOpen(weekdays, at('2026-05-15T07:30:00Z'))).toBe(true);
    expect(isOpen(weekdays, at('2026-05-15T07:30:00Z'), 'UTC')).toBe(false);
  });

  it('treats 24/7 and closed as constant', () => {
    expect(isOpen(parseOpeningHours('24/7'), may(17, '03:00'))).toBe(true);
    expect(isOpen(parseOpeningHours('closed'), may(13, '12:00'))).toBe(false);
  });

  it('keeps a rule ending at 24:00 open to the last minute of the day', () => {
    const h = parseOpeningHours('sat 22:00-24:00');
    expect(isOpen(h, may(16, '21:59'))).toBe(false);
    expect(isOpen(h, may(16, '22:00'))).toBe(true);
    expect(isOpen(h, may(16, '23:59'))).toBe(true);
    expect(isOpen(h, may(17, '00:00'))).toBe(false);
  });

  it('carries a midnight-spanning rule into the next day only', () => {
    const h = parseOpeningHours('fri 20:00-02:00');
    expect(isOpen(h, may(15, '01:00'))).toBe(false); // Friday early morning belongs to Thursday, not open
    expect(isOpen(h, may(15, '19:59'))).toBe(false);
    expect(isOpen(h, may(15, '20:00'))).toBe(true);
    expect(isOpen(h, may(15, '23:59'))).toBe(true);
    expect(isOpen(h, may(16, '00:00'))).toBe(true);
    expect(isOpen(h, may(16, '01:59'))).toBe(true);
    expect(isOpen(h, may(16, '02:00'))).toBe(false);
    expect(isOpen(h, may(16, '20:00'))).toBe(false);
  });

  it('wraps a day range past Sunday', () => {
    const h = parseOpeningHours('fri-mon 10:00-12:00');
    const open = [11, 12, 13, 14, 15, 16, 17].map((d) => isOpen(h, may(d, '11:00')));
    expect(open).toEqual([true, false, false, false, true, true, true]);
  });

  it('combines a wrapping day range with a midnight-spanning time', () => {
    const h = parseOpeningHours('sun-mon 22:00-06:00');
    expect(isOpen(h, may(17, '03:00'))).toBe(false); // Sunday morning would be Saturday night's
    expect(isOpen(h, may(17, '22:00'))).toBe(true);
    expect(isOpen(h, may(11, '03:00'))).toBe(true); // Monday morning, from Sunday night
    expect(isOpen(h, may(12, '03:00'))).toBe(true); // Tuesday morning, from Monday night
    expect(isOpen(h, may(12, '06:00'))).toBe(false);
    expect(isOpen(h, may(12, '22:00'))).toBe(false);
  });
});

describe('DST in Europe/Rome', () => {
  const night = parseOpeningHours('sun 01:00-04:00');

  it('on 2026-03-29 (02:00 CET becomes 03:00 CEST at 01:00Z) the opening lasts two real hours', () => {
    expect(isOpen(night, at('2026-03-28T23:59:00Z'))).toBe(false); // 00:59 CET
    expect(isOpen(night, at('2026-03-29T00:00:00Z'))).toBe(true); // 01:00 CET
    expect(isOpen(night, at('2026-03-29T00:59:00Z'))).toBe(true); // 01:59 CET
    expect(isOpen(night, at('2026-03-29T01:00:00Z'))).toBe(true); // 03:00 CEST
    expect(isOpen(night, at('2026-03-29T01:59:00Z'))).toBe(true); // 03:59 CEST
    expect(isOpen(night, at('2026-03-29T02:00:00Z'))).toBe(false); // 04:00 CEST
    expect(nextChange(night, at('2026-03-28T12:00:00Z'))).toBe(at('2026-03-29T00:00:00Z'));
    expect(nextChange(night, at('2026-03-29T00:30:00Z'))).toBe(at('2026-03-29T02:00:00Z'));
  });

  it('on 2026-10-25 (03:00 CEST becomes 02:00 CET at 01:00Z) the opening lasts four real hours', () => {
    expect(isOpen(night, at('2026-10-24T22:59:00Z'))).toBe(false); // 00:59 CEST
    expect(isOpen(night, at('2026-10-24T23:00:00Z'))).toBe(true); // 01:00 CEST
    expect(isOpen(night, at('2026-10-25T00:59:00Z'))).toBe(true); // 02:59 CEST
    expect(isOpen(night, at('2026-10-25T01:00:00Z'))).toBe(true); // 02:00 CET, the second time
    expect(isOpen(night, at('2026-10-25T02:59:00Z'))).toBe(true); // 03:59 CET
    expect(isOpen(night, at('2026-10-25T03:00:00Z'))).toBe(false); // 04:00 CET
    expect(nextChange(night, at('2026-10-24T23:30:00Z'))).toBe(at('2026-10-25T03:00:00Z'));
  });

  it('never opens in the skipped spring hour and opens twice in the repeated autumn hour', () => {
    const h = parseOpeningHours('sun 02:15-02:45');
    expect(isOpen(h, at('2026-03-29T01:30:00Z'))).toBe(false); // 03:30 CEST; 02:30 never happened
    expect(nextChange(h, at('2026-03-28T12:00:00Z'))).toBe(at('2026-04-05T00:15:00Z')); // a week later, 02:15 CEST
    expect(nextChange(h, at('2026-10-24T12:00:00Z'))).toBe(at('2026-10-25T00:15:00Z')); // 02:15 CEST
    expect(nextChange(h, at('2026-10-25T00:15:00Z'))).toBe(at('2026-10-25T00:45:00Z'));
    expect(nextChange(h, at('2026-10-25T00:45:00Z'))).toBe(at('2026-10-25T01:15:00Z')); // 02:15 CET
    expect(nextChange(h, at('2026-10-25T01:15:00Z'))).toBe(at('2026-10-25T01:45:00Z'));
  });

  it('opens at the jump when a rule starts inside the skipped hour', () => {
    const h = parseOpeningHours('sun 02:30-05:00');
    expect(nextChange(h, at('2026-03-28T23:00:00Z'))).toBe(at('2026-03-29T01:00:00Z')); // 03:00 CEST
    expect(nextChange(h, at('2026-03-29T01:00:00Z'))).toBe(at('2026-03-29T03:00:00Z')); // 05:00 CEST
  });
});

describe('nextChange', () => {
  const weekdays = parseOpeningHours('mon-fri 09:00-18:00');

  it('from a Friday evening finds Monday 09:00 in Rome', () => {
    expect(nextChange(weekdays, may(15, '19:30'))).toBe(may(18, '09:00'));
    expect(new Date(may(18, '09:00')).toISOString()).toBe('2026-05-18T07:00:00.000Z');
    // The same weekend across the autumn change: Monday 09:00 is CET again.
    expect(nextChange(weekdays, at('2026-10-23T18:00:00Z'))).toBe(at('2026-10-26T08:00:00Z'));
    // ...and across the spring change: Monday 09:00 CEST.
    expect(nextChange(weekdays, at('2026-03-27T18:00:00Z'))).toBe(at('2026-03-30T07:00:00Z'));
  });

  it('finds the close while open, counting from inside a minute', () => {
    expect(nextChange(weekdays, may(13, '12:00') + 30_000)).toBe(may(13, '18:00'));
    expect(nextChange(weekdays, may(13, '17:59') + 59_999)).toBe(may(13, '18:00'));
    expect(nextChange(weekdays, may(13, '18:00'))).toBe(may(14, '09:00'));
  });

  it('is null when nothing ever changes', () => {
    expect(nextChange(parseOpeningHours('24/7'), may(13, '12:00'))).toBeNull();
    expect(nextChange(parseOpeningHours('closed'), may(13, '12:00'))).toBeNull();
    expect(nextChange(parseOpeningHours('mon-sun 00:00-24:00'), may(13, '12:00'))).toBeNull();
    expect(nextChange(parseOpeningHours('mon-sun 12:00-12:01, mon-sun 12:01-12:00'), may(13, '12:00'))).toBeNull();
  });

  it('agrees with a minute-by-minute scan, including weeks with a DST change', () => {
    const specs = [
      'mon-fri 09:00-18:00, sat 09:00-13:00, sun 10:00-12:00',
      'fri 20:00-02:00, sun-mon 23:59-00:01',
      'wed 02:30-03:30',
      'sat-sun 00:00-24:00',
    ];
    const starts = [may(13, '10:17'), at('2026-03-27T10:00:00Z'), at('2026-10-24T22:00:00Z'), at('2026-10-25T00:50:00Z')];
    for (const spec of specs) {
      const h = parseOpeningHours(spec);
      for (const start of starts) {
        const initial = isOpen(h, start);
        let expected: number | null = null;
        for (let t = Math.floor(start / MIN) * MIN + MIN; t <= start + 8 * 1440 * MIN; t += MIN) {
          if (isOpen(h, t) !== initial) {
            expected = t;
            break;
          }
        }
        expect(nextChange(h, start), `${spec} from ${new Date(start).toISOString()}`).toBe(expected);
      }
    }
  });
});

describe('describeNextOpening', () => {
  const weekdays = parseOpeningHours('mon-fri 09:00-18:00');

  it('tells her on a Friday evening that it opens on Monday at 09:00', () => {
    expect(describeNextOpening(weekdays, may(15, '19:30'), 'Europe/Rome')).toBe('lunedì 09:00');
    expect(describeNextOpening(weekdays, may(15, '19:30'), 'Europe/Rome', 'en-GB')).toBe('Monday 09:00');
  });

  it('while open, names the opening after the coming close', () => {
    expect(describeNextOpening(weekdays, may(13, '12:00'))).toBe('giovedì 09:00');
  });

  it('is null for 24/7 and closed', () => {
    expect(describeNextOpening(parseOpeningHours('24/7'), may(13, '12:00'))).toBeNull();
    expect(describeNextOpening(parseOpeningHours('closed'), may(13, '12:00'))).toBeNull();
  });
});
