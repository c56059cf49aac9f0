import { describe, expect, it } from 'vitest';
import {
  allowedConsignmentMoves,
  CONSIGNMENT_STATES,
  CONSIGNMENT_TRANSITIONS,
  STATES_BEFORE_CROSSING,
  TERMINAL_CONSIGNMENT_STATES,
} from '../../src/domain/consignments.js';
import type { Marking } from '../../src/domain/marking.js';
import { coveredBy } from '../../src/server/modules/consignments/convoys.service.js';
import { lastDays, throughputSeries } from '../../src/server/modules/crossings/crossings.service.js';

const centre = { centre: true, owner: false };
const owner = { centre: false, owner: true };
const nobody = { centre: false, owner: false };

describe('consignment movers', () => {
  it('lets the centre clear, reject and screen, and the owner report the journey', () => {
    expect(allowedConsignmentMoves('registered', centre)).toEqual([
      'cleared',
      'partially-cleared',
      'rejected',
    ]);
    expect(allowedConsignmentMoves('registered', owner)).toEqual([]);
    expect(allowedConsignmentMoves('cleared', owner)).toEqual(['dispatched']);
    expect(allowedConsignmentMoves('queued-at-crossing', owner)).toEqual(['returned']);
    expect(allowedConsignmentMoves('queued-at-crossing', centre)).toEqual(['screened', 'returned']);
    expect(allowedConsignmentMoves('screened', owner)).toEqual(['returned']);
    expect(allowedConsignmentMoves('in-transit', owner)).toEqual([
      'delivered',
      'partially-received',
      'intercepted',
    ]);
    for (const s of CONSIGNMENT_STATES) {
      expect(allowedConsignmentMoves(s, nobody)).toEqual([]);
      // The centre may make every move the machine allows.
      expect(allowedConsignmentMoves(s, centre)).toEqual(CONSIGNMENT_TRANSITIONS[s]);
    }
  });

  it('knows the outcomes and what a crossing closure affects', () => {
    expect([...TERMINAL_CONSIGNMENT_STATES].sort()).toEqual(
      ['delivered', 'intercepted', 'partially-received', 'rejected', 'returned'].sort(),
    );
    for (const s of STATES_BEFORE_CROSSING) expect(TERMINAL_CONSIGNMENT_STATES).not.toContain(s);
    expect(STATES_BEFORE_CROSSING).not.toContain('screened');
  });
});

describe('what a live convoy payload may carry', () => {
  const m = (
    classification: Marking['classification'],
    releasableTo: string[],
    caveats?: string[],
  ): Marking => ({
    classification,
    releasableTo,
    ...(caveats ? { caveats } : {}),
  });
  it('is covered when whoever may see the convoy may see it too', () => {
    expect(coveredBy(m('UNCLASSIFIED', ['ALL']), m('RESTRICTED', ['USA']))).toBe(true);
    expect(coveredBy(m('UNCLASSIFIED', ['MEDRELIEF']), m('UNCLASSIFIED', ['ALL']))).toBe(false);
    expect(coveredBy(m('RESTRICTED', ['USA', 'GBR']), m('RESTRICTED', ['USA']))).toBe(true);
    expect(coveredBy(m('RESTRICTED', ['USA']), m('RESTRICTED', ['USA', 'GBR']))).toBe(false);
    expect(coveredBy(m('SECRET', ['ALL']), m('RESTRICTED', ['ALL']))).toBe(false);
    expect(coveredBy(m('UNCLASSIFIED', ['ALL'], ['X']), m('UNCLASSIFIED', ['ALL']))).toBe(false);
    expect(coveredBy(m('UNCLASSIFIED', ['ALL'], ['X']), m('UNCLASSIFIED', ['ALL'], ['X', 'Y']))).toBe(true);
  });
});

describe('throughput days', () => {
  it('lists UTC days oldest first and fills days without screening with zeros', () => {
    const days = lastDays(new Date('2026-03-02T23:59:00Z'), 3);
    expect(days).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
    const rows = [
      { day: '2026-03-01', crossing_id: 'a', trucks: 5, tonnes: 80, pallets: 120 },
      { day: '2026-03-01', crossing_id: 'b', trucks: 9, tonnes: 1, pallets: 1 },
    ];
    expect(throughputSeries(rows, 'a', days, 250)).toEqual([
      { day: '2026-02-28', trucks: 0, tonnes: 0, pallets: 0, targetTrucks: 250 },
      { day: '2026-03-01', trucks: 5, tonnes: 80, pallets: 120, targetTrucks: 250 },
      { day: '2026-03-02', trucks: 0, tonnes: 0, pallets: 0, targetTrucks: 250 },
    ]);
  });
});
