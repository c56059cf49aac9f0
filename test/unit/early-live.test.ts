import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveServerMessage } from '../../src/domain/events';
import type { LiveHandlers, LiveStatus } from '../../src/web/app/live';

/** A browser WebSocket as far as LiveConnection uses it; the test plays the server. */
class ScriptedSocket {
  static readonly OPEN = 1;
  static made: ScriptedSocket[] = [];
  readyState = 1;
  sent: unknown[] = [];
  closed: { code?: number; reason?: string } | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    ScriptedSocket.made.push(this);
  }
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  close(code?: number, reason?: string) {
    this.closed = { code, reason };
    this.readyState = 3;
  }
  receive(m: LiveServerMessage) {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
  refuse() {
    this.readyState = 3;
    this.onclose?.({ code: 4401 });
  }
}

const LAYERS = ['tracks', 'zones'];
const snapshot = (layer: string): LiveServerMessage =>
  ({ type: 'snapshot', layer, features: [], lastEventId: '7', reset: false }) as LiveServerMessage;
const welcome = (user: string): LiveServerMessage => ({ type: 'welcome', user, heartbeatMs: 15_000 });

function recorder() {
  const got: LiveServerMessage[] = [];
  const statuses: LiveStatus[] = [];
  let refused = 0;
  const handlers: LiveHandlers = {
    onMessage: (m) => got.push(m),
    onStatus: (s) => statuses.push(s),
    onUnauthenticated: () => {
      refused++;
    },
  };
  return { handlers, got, statuses, refused: () => refused };
}

/** A fresh module each time: the early connection is module state, opened once per page. */
async function load() {
  vi.resetModules();
  return import('../../src/web/app/earlyLive');
}

describe('the live feed opened as the page loads', () => {
  beforeEach(() => {
    ScriptedSocket.made = [];
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', ScriptedSocket);
    vi.stubGlobal('location', { protocol: 'http:', host: 'concord.test' });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('is taken over by the picture of the user it was welcomed as, with what it held, in order', async () => {
    const { openEarlyLive, claimEarlyLive } = await load();
    openEarlyLive(LAYERS);
    const socket = ScriptedSocket.made[0]!;
    expect(socket.url).toBe('ws://concord.test/api/v1/live');
    socket.receive(welcome('usa.planner'));
    await vi.advanceTimersByTimeAsync(0);
    expect(socket.sent).toEqual([{ type: 'subscribe', layers: LAYERS, moves: true }]);
    socket.receive(snapshot('tracks'));

    const r = recorder();
    const conn = claimEarlyLive(LAYERS, 'usa.planner', r.handlers);
    expect(conn).not.toBeNull();
    socket.receive(snapshot('zones'));
    expect(r.got.map((m) => ('layer' in m ? `${m.type} ${m.layer}` : m.type))).toEqual([
      'welcome',
      'snapshot tracks',
      'snapshot zones',
    ]);
    expect(r.statuses).toEqual(['live']);
    // Taken over, it is not closed as unclaimed later, and no second socket was opened.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(socket.closed).toBeNull();
    expect(ScriptedSocket.made).toHaveLength(1);
    conn?.stop();
    expect(socket.closed?.code).toBe(1000);
  });

  it('is closed, not handed over, when it was welcomed as someone else or for other layers', async () => {
    let early = await load();
    early.openEarlyLive(LAYERS);
    ScriptedSocket.made[0]!.receive(welcome('gbr.monitor'));
    expect(early.claimEarlyLive(LAYERS, 'usa.planner', recorder().handlers)).toBeNull();
    expect(ScriptedSocket.made[0]!.closed).not.toBeNull();

    early = await load();
    early.openEarlyLive(LAYERS);
    ScriptedSocket.made[1]!.receive(welcome('usa.planner'));
    expect(early.claimEarlyLive(['tracks'], 'usa.planner', recorder().handlers)).toBeNull();
    expect(ScriptedSocket.made[1]!.closed).not.toBeNull();
    // Only once: a second picture (another sign-in) opens its own.
    expect(early.claimEarlyLive(LAYERS, 'usa.planner', recorder().handlers)).toBeNull();
  });

  it('gives up quietly without a session, and closes if no picture takes it over', async () => {
    let early = await load();
    early.openEarlyLive(LAYERS);
    ScriptedSocket.made[0]!.refuse();
    expect(early.claimEarlyLive(LAYERS, 'usa.planner', recorder().handlers)).toBeNull();
    // Refused, it does not reconnect on its own.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(ScriptedSocket.made).toHaveLength(1);

    early = await load();
    early.openEarlyLive(LAYERS);
    const socket = ScriptedSocket.made[1]!;
    socket.receive(welcome('usa.planner'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(socket.closed).not.toBeNull();
    expect(early.claimEarlyLive(LAYERS, 'usa.planner', recorder().handlers)).toBeNull();
  });

  it('taken over before its welcome, signs out a picture the server welcomes as someone else', async () => {
    const { openEarlyLive, claimEarlyLive } = await load();
    openEarlyLive(LAYERS);
    const socket = ScriptedSocket.made[0]!;
    const r = recorder();
    expect(claimEarlyLive(LAYERS, 'usa.planner', r.handlers)).not.toBeNull();
    socket.receive(welcome('gbr.monitor'));
    socket.receive(snapshot('tracks'));
    expect(r.got).toEqual([]);
    expect(r.refused()).toBe(1);
    expect(socket.closed).not.toBeNull();
  });
});
