import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Marking } from '../../src/domain/marking.js';
import type { BoardCrossing, CountsService } from '../../src/server/modules/crossings/index.js';
import { Client, startTestServer, type TestServer } from '../support/server.js';

type Reconciliation = Awaited<ReturnType<CountsService['reconciliation']>>;
type Day = Reconciliation['days'][number];

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const COALITION: Marking = { classification: 'RESTRICTED', releasableTo: ['USA', 'GBR'] };

let s: TestServer;
let monitor: Client;
let un: Client;
let ngo: Client;
let viewer: Client;
let crossings: Record<string, BoardCrossing>;

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const fig = (source: string, rule: string, value: number, over: Record<string, unknown> = {}) => ({
  source,
  rule,
  scope: 'all aid',
  unit: 'trucks',
  value,
  ...over,
});

beforeAll(async () => {
  s = await startTestServer();
  [monitor, un, ngo, viewer] = await Promise.all([
    Client.login(s.app, 'usa.monitor'),
    Client.login(s.app, 'un.logistics'),
    Client.login(s.app, 'ngo.field'),
    Client.login(s.app, 'can.viewer'),
  ]);
  const board = (await ngo.get('/api/v1/aid/crossings')).json<{ crossings: BoardCrossing[] }>();
  crossings = Object.fromEntries(board.crossings.map((c) => [c.name, c]));
});
afterAll(() => s?.close());

const put = (c: Client, crossing: string, body: unknown) =>
  c.put(`/api/v1/aid/crossings/${crossings[crossing]!.id}/counts`, body);

describe('count reconciliation', () => {
  it('shows the demo week: matches, differences the rules explain, and one unexplained day', async () => {
    const r = (await ngo.get('/api/v1/aid/reconciliation')).json<Reconciliation>();
    expect(r.to).toBe(daysAgo(0));
    expect(r.from).toBe(daysAgo(6));
    const verdicts = r.days.map((d) => d.verdict);
    expect(verdicts).toContain('match');
    expect(verdicts).toContain('explained');
    const unexplained = r.days.filter((d) => d.verdict === 'unexplained');
    expect(unexplained.map((d) => [d.day, d.crossing.name])).toEqual([[daysAgo(3), 'Kerem Shalom']]);
    const bad = unexplained[0]!.pairs.find((p) => p.verdict === 'unexplained')!;
    expect([bad.a.source, bad.b.source].sort()).toEqual(['CLA', 'UN2720']);
    expect(bad.explanation).toContain('CLA');
    // WFP counts its own consignments only: a different scope explains the difference.
    const wfp = r.days.find((d) => d.figures.some((f) => f.source === 'WFP'))!;
    expect(
      wfp.pairs.filter((p) => p.a.source === 'WFP' || p.b.source === 'WFP').map((p) => p.verdict),
    ).toEqual(['explained', 'explained']);
    const oneCrossing = (
      await ngo.get(
        `/api/v1/aid/reconciliation?crossing=${crossings.Rafah!.id}&from=${daysAgo(6)}&to=${daysAgo(1)}`,
      )
    ).json<Reconciliation>();
    expect(oneCrossing.days).toHaveLength(6);
    expect(oneCrossing.days.every((d) => d.crossing.name === 'Rafah')).toBe(true);
  });

  it('reconciles figures entered through the API, by source, rule, scope and unit', async () => {
    const day = daysAgo(20);
    const first = await put(monitor, 'Rafah', {
      day,
      marking: ALL,
      figures: [
        fig('CLA', 'screened', 100),
        fig('UN2720', 'collected', 99),
        fig('CLA', 'screened', 1500, { unit: 'tonnes' }),
      ],
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<Day>()).toMatchObject({ day, crossing: { name: 'Rafah' }, verdict: 'match' });
    expect(first.json<Day>().pairs).toHaveLength(1);

    // A humanitarian organisation enters its own source only.
    const own = await put(un, 'Rafah', { day, marking: ALL, figures: [fig('OCHA', 'at-warehouse', 80)] });
    expect(own.statusCode, own.body).toBe(200);
    const explained = own.json<Day>();
    expect(explained.verdict).toBe('explained');
    expect(explained.figures.find((f) => f.source === 'OCHA')).toMatchObject({ enteredBy: 'un.logistics' });
    expect(explained.pairs.filter((p) => p.verdict === 'explained')).toHaveLength(2);
    expect(explained.pairs.find((p) => p.verdict === 'explained')!.explanation).toMatch(
      /not yet at-warehouse/,
    );
    expect(
      (await put(un, 'Rafah', { day, marking: ALL, figures: [fig('CLA', 'screened', 1)] })).statusCode,
    ).toBe(403);
    expect(
      (await put(viewer, 'Rafah', { day, marking: ALL, figures: [fig('CAN-MIL', 'screened', 1)] }))
        .statusCode,
    ).toBe(403);

    // Entering a figure again replaces it: now collected lags screened beyond what the rule explains.
    const again = await put(monitor, 'Rafah', {
      day,
      marking: ALL,
      figures: [fig('UN2720', 'collected', 60)],
    });
    const worse = again.json<Day>();
    expect(worse.verdict).toBe('unexplained');
    expect(worse.figures.filter((f) => f.unit === 'trucks')).toHaveLength(3);
    const cu = worse.pairs.find((p) => [p.a.source, p.b.source].sort().join() === 'CLA,UN2720')!;
    expect(cu).toMatchObject({ verdict: 'unexplained', difference: -40 });

    const listed = (await ngo.get(`/api/v1/aid/reconciliation?from=${day}&to=${day}`)).json<Reconciliation>();
    expect(listed.days).toHaveLength(1);
    expect(listed.days[0]!.verdict).toBe('unexplained');

    const single = await put(ngo, 'Erez', {
      day,
      marking: ALL,
      figures: [fig('MEDRELIEF', 'at-warehouse', 3)],
    });
    expect(single.json<Day>()).toMatchObject({ verdict: 'single-source', pairs: [] });
  });

  it('keeps figures under their marking', async () => {
    const day = daysAgo(21);
    await put(monitor, 'Kissufim', { day, marking: ALL, figures: [fig('CLA', 'screened', 50)] });
    const restricted = await put(monitor, 'Kissufim', {
      day,
      marking: COALITION,
      figures: [fig('JOINT-CELL', 'collected', 20)],
    });
    expect(restricted.json<Day>()).toMatchObject({
      verdict: 'unexplained',
      markingText: 'RESTRICTED//REL TO USA, GBR',
    });
    const ngoView = (
      await ngo.get(`/api/v1/aid/reconciliation?from=${day}&to=${day}`)
    ).json<Reconciliation>();
    expect(ngoView.days[0]).toMatchObject({
      verdict: 'single-source',
      markingText: 'UNCLASSIFIED//REL TO ALL',
    });
    expect(ngoView.days[0]!.figures.map((f) => f.source)).toEqual(['CLA']);
    // ngo.field cannot write above its clearance.
    expect(
      (await put(ngo, 'Kissufim', { day, marking: COALITION, figures: [fig('MEDRELIEF', 'collected', 1)] }))
        .statusCode,
    ).toBe(403);
  });

  it('answers bad input with 400 (404 for an unknown crossing)', async () => {
    const day = daysAgo(22);
    const bodies: unknown[] = [
      { day: '2024-13-45', marking: ALL, figures: [fig('CLA', 'screened', 1)] },
      { day: 'yesterday', marking: ALL, figures: [fig('CLA', 'screened', 1)] },
      { day, marking: ALL, figures: [fig('CLA', 'counted', 1)] },
      { day, marking: ALL, figures: [fig('CLA', 'screened', -1)] },
      { day, marking: ALL, figures: [fig('CLA', 'screened', 1, { unit: 'boxes' })] },
      { day, marking: ALL, figures: [] },
      { day, figures: [fig('CLA', 'screened', 1)] },
      { day, marking: ALL, figures: [fig('CLA', 'screened', 1), fig('CLA', 'screened', 2)] },
      { day: daysAgo(-5), marking: ALL, figures: [fig('CLA', 'screened', 1)] },
    ];
    for (const body of bodies) {
      const r = await put(monitor, 'Rafah', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    const unknown = await monitor.put('/api/v1/aid/crossings/00000000-0000-4000-8000-000000000000/counts', {
      day,
      marking: ALL,
      figures: [fig('CLA', 'screened', 1)],
    });
    expect(unknown.statusCode).toBe(404);
    expect((await ngo.get(`/api/v1/aid/reconciliation?from=${daysAgo(1)}&to=${daysAgo(3)}`)).statusCode).toBe(
      400,
    );
    expect((await ngo.get('/api/v1/aid/reconciliation?from=2024-02-31')).statusCode).toBe(400);
    expect((await ngo.get('/api/v1/aid/reconciliation?crossing=x')).statusCode).toBe(400);
  });
});
