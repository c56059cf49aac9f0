import { describe, expect, it } from 'vitest';
import {
  countRows,
  formatChange,
  lastCutoff,
  previousPeriod,
  reportPeriod,
  trendWindows,
} from '../../src/domain/daily-report.js';
import { ACLED_TYPES, acledTimePrecision, csvSafe } from '../../src/domain/incident-export.js';
import { INCIDENT_TAXONOMY, type IncidentCategory } from '../../src/domain/incidents.js';
import { pdfText } from '../../src/server/modules/reports/reports.pdf.js';

const GAZA = { timezone: 'Asia/Gaza', cutoff: '19:30' };

describe('report period', () => {
  it('ends at the most recent 19:30 in Gaza, winter (UTC+2) and summer (UTC+3)', () => {
    expect(lastCutoff(new Date('2026-12-01T16:37:00Z'), GAZA).toISOString()).toBe('2026-11-30T17:30:00.000Z');
    expect(lastCutoff(new Date('2026-12-01T17:30:00Z'), GAZA).toISOString()).toBe('2026-12-01T17:30:00.000Z');
    expect(lastCutoff(new Date('2026-12-01T23:59:00Z'), GAZA).toISOString()).toBe('2026-12-01T17:30:00.000Z');
    expect(lastCutoff(new Date('2026-07-01T17:00:00Z'), GAZA).toISOString()).toBe('2026-07-01T16:30:00.000Z');
    expect(lastCutoff(new Date('2026-07-01T16:00:00Z'), GAZA).toISOString()).toBe('2026-06-30T16:30:00.000Z');
    expect(
      lastCutoff(new Date('2026-07-01T03:00:00Z'), { timezone: 'UTC', cutoff: '00:00' }).toISOString(),
    ).toBe('2026-07-01T00:00:00.000Z');
  });

  it('is numbered by the local date of its end, stable for the same period', () => {
    const a = reportPeriod(new Date('2026-12-01T18:00:00Z'), GAZA);
    const b = reportPeriod(new Date('2026-12-02T17:00:00Z'), GAZA);
    expect(a).toMatchObject({
      number: 'CMCC-DR-2026-12-01',
      start: '2026-11-30T17:30:00.000Z',
      end: '2026-12-01T17:30:00.000Z',
      hours: 24,
    });
    expect(b).toEqual(a);
    expect(reportPeriod(new Date(), GAZA, { end: '2026-12-01T17:30:00Z' })).toMatchObject({
      number: 'CMCC-DR-2026-12-01',
    });
    expect(reportPeriod(new Date(), GAZA, { end: '2026-12-01T10:00:00Z', hours: 48 })).toMatchObject({
      number: 'CMCC-DR-2026-12-01-1200-48H',
      start: '2026-11-29T10:00:00.000Z',
    });
  });

  it('refuses what cannot be a period', () => {
    for (const q of [
      { hours: 0 },
      { hours: 169 },
      { hours: 1.5 },
      { end: 'soon' },
      { end: '2026-02-30T10:00:00Z' },
    ])
      expect(reportPeriod(new Date(), GAZA, q)).toHaveProperty('error');
  });

  it('compares with the same length just before, and trends over 14 days to the end', () => {
    expect(previousPeriod({ start: '2026-12-01T00:00:00.000Z', hours: 6 })).toEqual({
      start: '2026-11-30T18:00:00.000Z',
      end: '2026-12-01T00:00:00.000Z',
    });
    const t = trendWindows('2026-12-01T17:30:00.000Z', 'Asia/Gaza');
    expect(t).toHaveLength(14);
    expect(t.at(-1)).toEqual({
      start: '2026-11-30T17:30:00.000Z',
      end: '2026-12-01T17:30:00.000Z',
      label: '12-01',
    });
    expect(t[0]!.label).toBe('11-18');
  });

  it('counts rows with change, known keys first', () => {
    const rows = countRows(['b', 'a', 'a', 'x'], ['a', 'c'], (k) => k.toUpperCase(), ['a', 'b', 'c']);
    expect(rows).toEqual([
      { key: 'a', label: 'A', current: 2, previous: 1, change: 1 },
      { key: 'b', label: 'B', current: 1, previous: 0, change: 1 },
      { key: 'c', label: 'C', current: 0, previous: 1, change: -1 },
      { key: 'x', label: 'X', current: 1, previous: 0, change: 1 },
    ]);
    expect([formatChange(2), formatChange(0), formatChange(-3)]).toEqual(['+2', '0', '\u22123']);
  });
});

describe('export helpers', () => {
  it('maps every category and sub-type to an ACLED event type', () => {
    for (const [category, subtypes] of Object.entries(INCIDENT_TAXONOMY)) {
      const t = ACLED_TYPES[category as IncidentCategory];
      expect(t.default.eventType).toBeTruthy();
      for (const s of Object.keys(t.subtypes ?? {})) expect(subtypes as readonly string[]).toContain(s);
    }
  });

  it('gives ACLED time precision by the length of the window', () => {
    const at = '2026-12-01T10:00:00Z';
    expect(acledTimePrecision({ timePrecision: 'minute', observedAt: at, observedTo: null })).toBe(1);
    expect(
      acledTimePrecision({ timePrecision: 'day', observedAt: at, observedTo: '2026-12-04T10:00:00Z' }),
    ).toBe(2);
    expect(
      acledTimePrecision({ timePrecision: 'day', observedAt: at, observedTo: '2026-12-20T10:00:00Z' }),
    ).toBe(3);
  });

  it('quotes cells a spreadsheet would run as a formula', () => {
    expect(csvSafe('=1+1')).toBe("'=1+1");
    expect(csvSafe('+1')).toBe("'+1");
    expect(csvSafe('-1')).toBe("'-1");
    expect(csvSafe('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvSafe('\t=1')).toBe("'\t=1");
    expect(csvSafe('plain')).toBe('plain');
    expect(csvSafe(-3)).toBe(-3);
  });

  it('writes PDF text the standard fonts can draw', () => {
    expect(pdfText('Ḫān Yūnis − “a” é')).toBe('Han Yunis - "a" é');
    expect(pdfText('غزة')).toBe('???');
  });
});
