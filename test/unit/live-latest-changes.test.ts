import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../src/domain/events.js';
import { LatestChanges } from '../../src/server/modules/live/latest-changes.js';
import { Prepared } from '../../src/server/modules/live/prepared.js';

const ALL = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] } as const;

function change(entityId: string, seq: number): Prepared {
  const e: ChangeEvent = {
    id: '',
    at: '2026-12-02T00:00:00.000Z',
    actor: null,
    kind: 'upsert',
    layer: 'tracks',
    entityId,
    payload: null,
    marking: { ...ALL, releasableTo: [...ALL.releasableTo] },
    prevMarking: null,
  };
  const p = new Prepared(e);
  p.seq = seq;
  return p;
}

type Op = { op: 'set'; id: string } | { op: 'since'; back: number } | { op: 'drop'; back: number };

describe('LatestChanges: the latest change per entity, shared by the slots of a pace', () => {
  it('gives what a map of the latest change per entity gives, in seq order, after any sets and drops', () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constant('set' as const), id: fc.constantFrom('a', 'b', 'c', 'd', 'e') }),
      fc.record({ op: fc.constant('since' as const), back: fc.nat(12) }),
      fc.record({ op: fc.constant('drop' as const), back: fc.nat(12) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const latest = new LatestChanges();
        const model = new Map<string, Prepared>();
        let seq = 0;
        for (const o of ops) {
          if (o.op === 'set') {
            const p = change(o.id, ++seq);
            latest.set(p);
            model.set(o.id, p);
          } else if (o.op === 'since') {
            const from = seq - o.back;
            const expected = [...model.values()].filter((p) => p.seq > from).sort((x, y) => x.seq - y.seq);
            expect(latest.since(from)).toEqual(expected);
          } else {
            const upTo = seq - o.back;
            for (const [k, p] of model) if (p.seq <= upTo) model.delete(k);
            latest.dropUpTo(upTo);
          }
          expect(latest.size).toBe(model.size);
        }
      }),
    );
  });

  it('moves an entity that changes again to the end, once', () => {
    const latest = new LatestChanges();
    const a1 = change('a', 1);
    const b2 = change('b', 2);
    const a3 = change('a', 3);
    for (const p of [a1, b2, a3]) latest.set(p);
    expect(latest.since(0)).toEqual([b2, a3]);
    expect(latest.since(2)).toEqual([a3]);
    latest.dropUpTo(2);
    expect(latest.since(0)).toEqual([a3]);
  });
});
