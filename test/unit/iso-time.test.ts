import fc from 'fast-check';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { isoUtc, parseIsoTime, simpleIsoTime } from '../../src/domain/iso-time.js';
import { checkPositionReport } from '../../src/domain/position-reports.js';

/** What the API schema says a time is (TypeBox's RFC 3339 check). */
const DateTime = Type.String({ format: 'date-time' });
const isDateTime = (s: string) => Value.Check(DateTime, s);

const pad = (n: number, w: number) => String(n).padStart(w, '0');
/** Strings near the RFC 3339 shape: valid ones, and ones off by a field, a letter or a length. */
const timeLike = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 61 }),
    fraction: fc.option(fc.stringMatching(/^[0-9]{0,10}$/), { nil: undefined }),
    t: fc.constantFrom('T', 't', ' '),
    zone: fc.constantFrom('Z', 'z', '', '+00:00', '-05:30', '+14:00', '+24:00', '-00:60', '+0530'),
  })
  .map(
    (x) =>
      `${pad(x.year, 4)}-${pad(x.month, 2)}-${pad(x.day, 2)}${x.t}${pad(x.hour, 2)}:${pad(x.minute, 2)}:` +
      `${pad(x.second, 2)}${x.fraction === undefined ? '' : `.${x.fraction}`}${x.zone}`,
  );

describe('reading ISO times by hand', () => {
  it('simpleIsoTime reads only RFC 3339 date-times, and reads them as Date.parse does', () => {
    fc.assert(
      fc.property(fc.oneof(timeLike, fc.string()), (s) => {
        const t = simpleIsoTime(s);
        if (Number.isNaN(t)) return;
        expect(isDateTime(s), s).toBe(true);
        expect(t, s).toBe(Date.parse(s));
      }),
      { numRuns: 20_000 },
    );
  });

  it('simpleIsoTime takes the usual shape, which is what clients and isoUtc write', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
        const s = isoUtc(ms);
        expect(s).toBe(new Date(ms).toISOString());
        if (new Date(ms).getUTCDate() <= 28) expect(simpleIsoTime(s)).toBe(ms);
        expect(parseIsoTime(s)).toBe(ms);
      }),
      { numRuns: 5_000 },
    );
    expect(simpleIsoTime('2026-12-02T01:00:00Z')).toBe(Date.UTC(2026, 11, 2, 1));
    expect(simpleIsoTime('2026-12-02T01:00:00.5+01:00')).toBe(Date.UTC(2026, 11, 2, 0, 0, 0, 500));
  });

  it('a position report is accepted or refused on its times exactly as by the schema', () => {
    const now = Date.parse('2026-11-02T10:00:00Z');
    fc.assert(
      fc.property(timeLike, (observedAt) => {
        const r = checkPositionReport({ uid: 'u', lat: 31.4, lon: 34.4, observedAt }, now);
        const t = Date.parse(observedAt);
        const usable =
          isDateTime(observedAt) && !Number.isNaN(t) && t >= Date.UTC(1900, 0, 1) && t <= now + 300_000;
        expect(r.ok, observedAt).toBe(usable);
        if (r.ok) expect(r.report.observedAt).toBe(t);
        else expect(r.problems.map((p) => p.path)).toContain('observedAt');
      }),
      { numRuns: 5_000 },
    );
  });
});
