import { describe, expect, it } from 'vitest';
import {
  CONSIGNMENT_STATES,
  CONSIGNMENT_TRANSITIONS,
  canMoveConsignment,
  PIPELINE,
} from '../../src/domain/consignments.js';
import {
  allowedNotificationActions,
  answerDueAt,
  isOverdue,
  leadTimeWarning,
  notificationRefusal,
  type WorkflowNotification,
} from '../../src/domain/deconfliction.js';
import { reconcile, reconcilePair } from '../../src/domain/reconciliation.js';

const ngo = { roles: ['humanitarian'], organisationCode: 'MEDRELIEF', nation: null };
const otherNgo = { roles: ['humanitarian'], organisationCode: 'AQUAAID', nation: null };
const centre = { roles: ['monitor'], organisationCode: 'USA-CMCC', nation: 'USA' };
const isr = { roles: ['party-liaison'], organisationCode: 'ISR-LO', nation: 'ISR' };
const pse = { roles: ['party-liaison'], organisationCode: 'PSE-LO', nation: 'PSE' };
const n = (state: WorkflowNotification['state']): WorkflowNotification => ({
  state,
  organisationCode: 'MEDRELIEF',
  parties: ['ISR'],
});

describe('deconfliction notifications', () => {
  it('flow from the organisation through the centre to the party and back', () => {
    expect(allowedNotificationActions(n('draft'), ngo)).toEqual(['submit', 'cancel']);
    expect(allowedNotificationActions(n('draft'), otherNgo)).toEqual([]);
    expect(allowedNotificationActions(n('submitted'), centre)).toEqual(['transmit']);
    expect(allowedNotificationActions(n('transmitted'), isr)).toEqual(
      expect.arrayContaining(['acknowledge', 'facilitate', 'deny', 'postpone']),
    );
    expect(allowedNotificationActions(n('transmitted'), pse)).toEqual([]);
    expect(notificationRefusal('facilitate', n('transmitted'), pse)?.code).toBe('forbidden');
    expect(allowedNotificationActions(n('facilitated'), ngo)).toEqual(
      expect.arrayContaining(['depart', 'cancel']),
    );
    expect(notificationRefusal('complete', n('denied'), ngo)?.code).toBe('invalid-transition');
  });

  it('warns on short notice and computes the due time and overdue flag', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    expect(leadTimeWarning('routine', now, new Date('2026-12-03T12:00:00Z'))).toBeNull();
    expect(leadTimeWarning('routine', now, new Date('2026-12-02T12:00:00Z'))).toMatch(/24 h .*48 h/);
    expect(leadTimeWarning('emergency', now, new Date('2026-12-02T12:00:00Z'))).toBeNull();
    const due = answerDueAt('routine', now, new Date('2026-12-05T00:00:00Z'));
    expect(due.toISOString()).toBe('2026-12-02T12:00:00.000Z');
    expect(answerDueAt('routine', now, new Date('2026-12-01T18:00:00Z')).toISOString()).toBe(
      '2026-12-01T18:00:00.000Z',
    );
    expect(isOverdue('transmitted', due, new Date('2026-12-02T13:00:00Z'))).toBe(true);
    expect(isOverdue('facilitated', due, new Date('2026-12-02T13:00:00Z'))).toBe(false);
  });
});

describe('consignments', () => {
  it('move only forward along the pipeline', () => {
    for (let i = 1; i < PIPELINE.length; i++) {
      if (PIPELINE[i - 1] === 'registered') continue;
      expect(canMoveConsignment(PIPELINE[i - 1]!, PIPELINE[i]!)).toBe(true);
    }
    expect(canMoveConsignment('registered', 'cleared')).toBe(true);
    expect(canMoveConsignment('delivered', 'in-transit')).toBe(false);
    for (const s of CONSIGNMENT_STATES)
      for (const t of CONSIGNMENT_TRANSITIONS[s]) expect(CONSIGNMENT_STATES).toContain(t);
  });
});

describe('count reconciliation', () => {
  const f = (
    source: string,
    rule: 'screened' | 'collected' | 'at-warehouse',
    value: number,
    scope = 'all aid',
  ) => ({
    source,
    rule,
    scope,
    unit: 'trucks' as const,
    value,
  });
  it('matches close figures, explains rule lags and scope, flags the rest', () => {
    expect(reconcilePair(f('COGAT', 'screened', 200), f('UN2720', 'screened', 199)).verdict).toBe('match');
    expect(reconcilePair(f('COGAT', 'screened', 200), f('UN2720', 'collected', 170)).verdict).toBe(
      'explained',
    );
    expect(reconcilePair(f('COGAT', 'screened', 200), f('UN2720', 'collected', 90)).verdict).toBe(
      'unexplained',
    );
    expect(reconcilePair(f('COGAT', 'screened', 200), f('UN2720', 'screened', 120, 'UN only')).verdict).toBe(
      'explained',
    );
    expect(reconcile([f('COGAT', 'screened', 200)]).verdict).toBe('single-source');
    expect(
      reconcile([f('COGAT', 'screened', 200), f('UN', 'collected', 180), f('WFP', 'at-warehouse', 40)])
        .verdict,
    ).toBe('unexplained');
  });
});
