import { describe, expect, it } from 'vitest';
import {
  CONSIGNMENT_FIELDS,
  parseIsoDate,
  parseNumber,
  progressPercent,
  reportedValue,
} from '../../src/domain/aid-imports.js';
import { isHashtagRow, mapColumns, parseHashtag, parseMarkingText } from '../../src/domain/hxl.js';

describe('HXL hashtags', () => {
  it('parses hashtags case-insensitively with attributes in any order and spacing', () => {
    const a = parseHashtag(' #Org +Name ');
    const b = parseHashtag('#org+name');
    expect(a?.tag).toBe('org');
    expect([...(a?.attributes ?? [])]).toEqual(['name']);
    expect(b).toEqual(a);
    expect(parseHashtag('#loc + crossing+X')).toEqual({ tag: 'loc', attributes: new Set(['crossing', 'x']) });
    expect(parseHashtag('Organisation')).toBeNull();
    expect(parseHashtag('#')).toBeNull();
    expect(parseHashtag('#org+')).toBeNull();
  });

  it('recognises a hashtag row, tolerating empty and untagged cells', () => {
    expect(isHashtagRow(['#org', '', '#sector', 'note'])).toBe(true);
    expect(isHashtagRow(['Organisation', 'Sector'])).toBe(false);
    expect(isHashtagRow(['', ''])).toBe(false);
    expect(isHashtagRow(['#org', 'a', 'b', 'c'])).toBe(false);
  });

  it('maps columns: specific patterns first, excluded attributes skipped, extra columns ignored', () => {
    const row = [
      '#org+funder',
      '#x_other',
      '#ORG',
      '#item +type',
      '#item+name',
      '#value+quantity',
      '#indicator+unit',
      '#loc+crossing',
    ];
    const m = mapColumns(row, CONSIGNMENT_FIELDS);
    expect(m.missing).toEqual([]);
    expect(m.columns).toMatchObject({
      donor: 0,
      organisation: 2,
      category: 3,
      item: 4,
      quantity: 5,
      unit: 6,
      crossing: 7,
    });
    const missing = mapColumns(['#item+name'], CONSIGNMENT_FIELDS).missing.map((s) => s.field);
    expect(missing).toEqual(['crossing', 'category', 'quantity', 'unit']);
  });
});

describe('cell values', () => {
  it('reads markings as written', () => {
    expect(parseMarkingText('RESTRICTED//REL TO USA, GBR')).toEqual({
      classification: 'RESTRICTED',
      releasableTo: ['USA', 'GBR'],
    });
    expect(parseMarkingText('u//rel to all')).toEqual({
      classification: 'UNCLASSIFIED',
      releasableTo: ['ALL'],
    });
    expect(parseMarkingText('SECRET//REL TO USA//NOFORNX')).toEqual({
      classification: 'SECRET',
      releasableTo: ['USA'],
      caveats: ['NOFORNX'],
    });
    expect(parseMarkingText('SECRET')).toBeNull();
    expect(parseMarkingText('TOP//REL TO USA')).toBeNull();
    expect(parseMarkingText('RESTRICTED//REL TO us a')).toBeNull();
  });

  it('reads numbers and ISO dates strictly', () => {
    expect(parseNumber('1,500')).toBe(1500);
    expect(parseNumber('1 234.5')).toBe(1234.5);
    expect(parseNumber('2.5')).toBe(2.5);
    expect(parseNumber('1,5')).toBeNull();
    expect(parseNumber('twelve')).toBeNull();
    expect(parseNumber('=1+1')).toBeNull();
    expect(parseIsoDate('2026-11-30')?.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(parseIsoDate('2026-11-30T08:00:00Z')?.toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(parseIsoDate('30/11/2026')).toBeNull();
    expect(parseIsoDate('2026-02-31')).toBeNull();
    expect(parseIsoDate('2026-11-30T08:00')).toBeNull();
  });

  it('reports values short and storable; progress stays under 100 until done', () => {
    expect(reportedValue('a\u0000b')).toBe('a\u2400b');
    expect(reportedValue('x'.repeat(1000)).length).toBeLessThan(230);
    expect(progressPercent('running', 50, 50)).toBe(99);
    expect(progressPercent('running', 0, 0)).toBe(0);
    expect(progressPercent('done', 3, 50)).toBe(100);
  });
});
