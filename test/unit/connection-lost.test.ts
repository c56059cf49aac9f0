import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Db } from '../../src/server/db/database.js';
import { WebhookWorker } from '../../src/server/modules/alerts/webhook-worker.js';
import { EventRelay } from '../../src/server/platform/events.js';

/** A logger that keeps the level and message of what it is given. */
function recorder() {
  const lines: { level: string; msg: string }[] = [];
  const log = pino(
    { level: 'debug' },
    {
      write(s: string) {
        const o = JSON.parse(s) as { level: number; msg: string };
        lines.push({ level: pino.levels.labels[o.level]!, msg: o.msg });
      },
    },
  );
  return { log, lines };
}

/** A Db that connects to nothing (pools connect on first use) and a logger that keeps its lines. */
function setup() {
  const { log, lines } = recorder();
  return { log, lines, db: new Db('postgres://nobody@127.0.0.1:1/none', log) };
}

const shutdown = Object.assign(new Error('terminating connection due to administrator command'), {
  code: '57P01',
});

describe('lost database connections in the log', () => {
  let db: Db | null = null;
  afterEach(async () => {
    vi.useRealTimers();
    await db?.close();
  });

  it('warns at once of a connection lost for another reason', () => {
    const t = setup();
    const { log, lines } = t;
    db = t.db;
    db.connectionLost(log, Object.assign(new Error('read ETIMEDOUT'), { code: 'ETIMEDOUT' }), 'lost');
    expect(lines).toEqual([{ level: 'warn', msg: 'lost' }]);
  });

  it('warns of PostgreSQL shutting down while Concord runs on, after a moment', () => {
    vi.useFakeTimers();
    const t = setup();
    const { log, lines } = t;
    db = t.db;
    db.connectionLost(log, shutdown, 'lost');
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(lines).toEqual([{ level: 'warn', msg: 'lost' }]);
  });

  it('says nothing above debug when Concord began stopping just after PostgreSQL (one Ctrl+C for both)', () => {
    vi.useFakeTimers();
    const t = setup();
    const { log, lines } = t;
    db = t.db;
    db.connectionLost(log, shutdown, 'lost');
    db.beginStop();
    db.connectionLost(log, new Error('Connection terminated unexpectedly'), 'lost too');
    vi.advanceTimersByTime(1000);
    expect(lines.map((l) => l.level)).toEqual(['debug', 'debug']);
  });
});

describe('the event relay when PostgreSQL goes away', () => {
  /** A relay over a Db whose every transaction fails as given; wake() runs one read of the outbox. */
  function relayFailing(e: Error, stopping: boolean) {
    const { log, lines } = recorder();
    const db = {
      isStopping: stopping,
      asSystem: () => Promise.reject(e),
    } as unknown as Db;
    return { relay: new EventRelay(db, log), lines };
  }

  it('warns while Concord runs, and only logs at debug once it is stopping', async () => {
    const running = relayFailing(shutdown, false);
    await running.relay.wake();
    expect(running.lines).toEqual([
      { level: 'warn', msg: 'event relay could not read the outbox; will retry' },
    ]);

    const stopping = relayFailing(shutdown, true);
    await stopping.relay.wake();
    expect(stopping.lines.map((l) => l.level)).toEqual(['debug']);

    // Another failure while stopping is still worth a warning.
    const other = relayFailing(Object.assign(new Error('permission denied'), { code: '42501' }), true);
    await other.relay.wake();
    expect(other.lines.map((l) => l.level)).toEqual(['warn']);
  });
});

describe('the webhook worker when PostgreSQL goes away', () => {
  async function levelsOfOnePass(e: Error, stopping: boolean) {
    const { log, lines } = recorder();
    const db = { isStopping: stopping, asSystem: () => Promise.reject(e) } as unknown as Db;
    const worker = new WebhookWorker(db, log, { pollMs: 60_000 });
    worker.start();
    worker.wake();
    for (let i = 0; i < 100 && !lines.length; i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    return lines;
  }

  it('warns while Concord runs, and only logs at debug once it is stopping', async () => {
    expect(await levelsOfOnePass(shutdown, false)).toEqual([
      { level: 'warn', msg: 'webhook deliveries: failed; will retry' },
    ]);
    expect((await levelsOfOnePass(shutdown, true)).map((l) => l.level)).toEqual(['debug']);
    const denied = Object.assign(new Error('permission denied'), { code: '42501' });
    expect((await levelsOfOnePass(denied, true)).map((l) => l.level)).toEqual(['warn']);
  });
});
