import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aggregateMarking,
  CLASSIFICATIONS,
  type Clearance,
  canSee,
  distinctMarkings,
  formatMarking,
  type Marking,
} from '../../src/domain/marking.js';

const viewer = (
  clearance: Clearance['clearance'],
  principals: string[],
  caveats: string[] = [],
): Clearance => ({ clearance, principals, caveats });

describe('canSee', () => {
  it('needs clearance, releasability and every caveat', () => {
    const m: Marking = { classification: 'RESTRICTED', releasableTo: ['USA', 'GBR'] };
    expect(canSee(viewer('RESTRICTED', ['GBR', 'GBR-PLAN']), m)).toBe(true);
    expect(canSee(viewer('UNCLASSIFIED', ['GBR']), m)).toBe(false);
    expect(canSee(viewer('SECRET', ['FRA']), m)).toBe(false);
    expect(
      canSee(viewer('SECRET', ['OCHA']), { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] }),
    ).toBe(true);
    expect(canSee(viewer('SECRET', ['USA']), { ...m, caveats: ['NOFORN'] })).toBe(false);
    expect(canSee(viewer('SECRET', ['USA'], ['NOFORN']), { ...m, caveats: ['NOFORN'] })).toBe(true);
  });

  it('grows with clearance and principals (monotonic)', () => {
    const cls = fc.constantFrom(...CLASSIFICATIONS);
    const p = fc.constantFrom('USA', 'GBR', 'FRA', 'ISR', 'PSE', 'OCHA', 'ALL');
    fc.assert(
      fc.property(
        cls,
        fc.array(p, { minLength: 1 }),
        cls,
        fc.array(p),
        fc.constantFrom('USA', 'FRA', 'OCHA'),
        (mc, rel, vc, principals, extra) => {
          const m = { classification: mc, releasableTo: rel };
          const v = viewer(vc, principals);
          if (canSee(v, m)) {
            expect(canSee(viewer('SECRET', [...principals, extra]), m)).toBe(true);
          }
        },
      ),
    );
  });
});

describe('formatMarking', () => {
  it('writes USA first, then alphabetical', () => {
    expect(formatMarking({ classification: 'RESTRICTED', releasableTo: ['GBR', 'USA'] })).toBe(
      'RESTRICTED//REL TO USA, GBR',
    );
    expect(formatMarking({ classification: 'SECRET', releasableTo: ['FRA', 'DEU'], caveats: ['X'] })).toBe(
      'SECRET//REL TO DEU, FRA//X',
    );
    expect(formatMarking({ classification: 'UNCLASSIFIED', releasableTo: ['ALL', 'USA'] })).toBe(
      'UNCLASSIFIED//REL TO ALL',
    );
  });
});

describe('aggregateMarking', () => {
  it('takes the highest classification and the intersection of releasability', () => {
    const a = aggregateMarking([
      { classification: 'RESTRICTED', releasableTo: ['USA', 'GBR', 'FRA'] },
      { classification: 'CONFIDENTIAL', releasableTo: ['USA', 'GBR'] },
      { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] },
    ]);
    expect(formatMarking(a)).toBe('CONFIDENTIAL//REL TO USA, GBR');
    expect(formatMarking(aggregateMarking([]))).toBe('UNCLASSIFIED//REL TO ALL');
  });

  it('is visible only to viewers who could see every part', () => {
    const m = fc.record({
      classification: fc.constantFrom(...CLASSIFICATIONS),
      releasableTo: fc.array(fc.constantFrom('USA', 'GBR', 'FRA', 'ALL'), { minLength: 1 }),
    });
    fc.assert(
      fc.property(
        fc.array(m, { minLength: 1, maxLength: 5 }),
        fc.constantFrom(...CLASSIFICATIONS),
        fc.constantFrom('USA', 'GBR', 'FRA'),
        (parts, c, p) => {
          const v = viewer(c, [p]);
          if (canSee(v, aggregateMarking(parts))) expect(parts.every((x) => canSee(v, x))).toBe(true);
        },
      ),
    );
  });
});

describe('distinctMarkings', () => {
  it('aggregates to the same marking as every part', () => {
    const m = fc.record(
      {
        classification: fc.constantFrom(...CLASSIFICATIONS),
        releasableTo: fc.array(fc.constantFrom('USA', 'GBR', 'FRA', 'ALL'), { minLength: 1, maxLength: 3 }),
        caveats: fc.array(fc.constantFrom('NOFORN', 'ORCON'), { maxLength: 2 }),
      },
      { requiredKeys: ['classification', 'releasableTo'] },
    );
    fc.assert(
      fc.property(fc.array(m, { maxLength: 40 }), (parts) => {
        const distinct = distinctMarkings(parts);
        expect(distinct.length).toBeLessThanOrEqual(parts.length);
        expect(aggregateMarking(distinct)).toEqual(aggregateMarking(parts));
      }),
    );
  });

  it('keeps the first of each, in order, however many distinct markings there are', () => {
    const nations = ['USA', 'GBR', 'FRA', 'DEU', 'ITA', 'ESP', 'NLD', 'NOR', 'POL', 'CAN'];
    const many: Marking[] = [];
    for (const c of CLASSIFICATIONS)
      for (const n of nations)
        for (const caveats of [[], ['NOFORN']]) many.push({ classification: c, releasableTo: [n], caveats });
    expect(many.length).toBeGreaterThan(40);
    const copies = [...many, ...many.map((m) => ({ ...m, releasableTo: [...m.releasableTo] })), ...many];
    expect(distinctMarkings(copies)).toEqual(many);
    expect(distinctMarkings(copies.slice(0, 20))).toEqual(many.slice(0, 20));
  });
});
