import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { allowedActions, canTransition, highestSeverity } from '../../src/domain/alert-status.js';
import { candidateProblem, dedupBatch } from '../../src/server/modules/alerts/alerts.features.js';
import { signature } from '../../src/server/modules/alerts/webhook-worker.js';
import { webhookUrlProblem } from '../../src/server/modules/alerts/webhooks.service.js';
import { candidate } from '../support/alerts.js';

const ALL = { classification: 'UNCLASSIFIED' as const, releasableTo: ['ALL'] };

describe('alert status machine', () => {
  it('allows only the actions of each status', () => {
    expect(allowedActions('open')).toEqual(['acknowledge', 'assign', 'resolve']);
    expect(allowedActions('acknowledged')).toEqual(['assign', 'resolve']);
    expect(allowedActions('resolved')).toEqual(['reopen']);
    expect(canTransition('reopen', 'open')).toBe(false);
  });

  it('finds the worst severity', () => {
    expect(highestSeverity([])).toBeNull();
    expect(highestSeverity(['info', 'critical', 'warning'])).toBe('critical');
  });
});

describe('raise helpers', () => {
  it('keeps one candidate per track, zone and trigger within the window', () => {
    const a = candidate(ALL, { at: 1_000_000 });
    const kept = dedupBatch([
      { ...a, at: 1_030_000 },
      a,
      { ...a, at: 1_061_000 },
      { ...a, trigger: 'exit' },
      candidate(ALL, { at: 1_000_000 }),
    ]);
    expect(kept.map((c) => [c.trigger, c.at - 1_000_000])).toEqual([
      ['enter', 0],
      ['exit', 0],
      ['enter', 0],
      ['enter', 61_000],
    ]);
  });

  it('refuses candidates without positions or with impossible ones', () => {
    expect(candidateProblem(candidate(ALL))).toBeNull();
    expect(candidateProblem({ ...candidate(ALL), positions: [] })).toMatch(/no positions/);
    expect(candidateProblem({ ...candidate(ALL), positions: [{ lon: 200, lat: 0, t: 0 }] })).toMatch(/WGS84/);
    expect(candidateProblem({ ...candidate(ALL), at: Number.NaN })).toMatch(/time/);
  });
});

describe('webhooks', () => {
  it('signs the body with HMAC-SHA256 of the secret', () => {
    const body = '{"a":1}';
    expect(signature('s3cret', body)).toBe(
      `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`,
    );
  });

  it('accepts http(s) URLs without credentials only', () => {
    expect(webhookUrlProblem('https://example.invalid/hook')).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/x')).toBeNull();
    expect(webhookUrlProblem('ftp://example.invalid/')).toMatch(/http/);
    expect(webhookUrlProblem('https://u:p@example.invalid/')).toMatch(/password/);
    expect(webhookUrlProblem('/relative')).toMatch(/absolute/);
  });
});
