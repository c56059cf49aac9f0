import { describe, expect, it } from 'vitest';
import type { ValidReport } from '../../src/domain/position-reports.js';
import type { CotRead } from '../../src/server/ingest/cot/cot-reader.js';
import { RelayedSocket } from '../../src/server/ingest/cot/relayed-socket.js';
import { Outbox } from '../../src/server/ingest/cot/tls-relay-outbox.js';
import type { Op, ToWorker } from '../../src/server/ingest/cot/tls-relay-protocol.js';

const tick = () => new Promise((r) => setImmediate(r));

function outbox() {
  const sent: { m: ToWorker; transfer: ArrayBuffer[] }[] = [];
  return { box: new Outbox((m, transfer) => sent.push({ m, transfer })), sent };
}

const opsOf = (m: ToWorker): Op[] => (m.t === 'ops' ? m.ops : []);

/** What each connection receives, in order, as the worker applies the ops. */
function perConnection(ops: Op[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const add = (id: number, s: string) => out.set(id, [...(out.get(id) ?? []), s]);
  for (const op of ops) {
    if (op.t === 'write') for (const id of op.ids) add(id, Buffer.from(op.data).toString());
    else if (op.t !== 'consumed') add(op.id, `<${op.t}>`);
  }
  return out;
}

describe('the TLS relay outbox', () => {
  it('sends a buffer written to several connections once, in one message per turn', async () => {
    const { box, sent } = outbox();
    const shared = Buffer.from('shared');
    for (const id of [1, 2, 3]) box.write(id, shared);
    box.write(2, Buffer.from('own'));
    expect(sent).toHaveLength(0);
    await tick();
    expect(sent).toHaveLength(1);
    const ops = opsOf(sent[0]!.m);
    expect(ops[0]).toMatchObject({ t: 'write', ids: [1, 2, 3] });
    expect(ops).toHaveLength(2);
    // Copies of their own, transferred: the caller keeps its buffer intact.
    expect(sent[0]!.transfer).toHaveLength(2);
    expect(shared.toString()).toBe('shared');
  });

  it('keeps every connection’s order when buffers are shared', async () => {
    const { box, sent } = outbox();
    const a = Buffer.from('A');
    const b = Buffer.from('B');
    box.write(1, a);
    box.write(2, b);
    box.write(2, a); // must not join the first write of A, which comes before 2's B
    box.write(3, a); // joins the latest write of A: 3 has nothing before it
    box.op({ t: 'end', id: 1 });
    box.write(1, a); // after its end: stays after it
    box.consumed(4, 100);
    box.consumed(4, 28);
    await tick();
    const ops = opsOf(sent[0]!.m);
    const got = perConnection(ops);
    expect(got.get(1)).toEqual(['A', '<end>', 'A']);
    expect(got.get(2)).toEqual(['B', 'A']);
    expect(got.get(3)).toEqual(['A']);
    expect(ops[2]).toMatchObject({ t: 'write', ids: [2, 3] });
    expect(ops.filter((o) => o.t === 'consumed')).toEqual([{ t: 'consumed', id: 4, bytes: 128 }]);
  });
});

describe('a relayed socket', () => {
  const read = (uid: string): CotRead => ({ reports: [{ uid } as ValidReport], pings: 0, fatal: null });
  const uids = (reads: CotRead[]) => reads.flatMap((r) => r.reports.map((x) => x.uid));

  it('holds what arrives while paused, delivers it in order on resume, and reports it consumed', async () => {
    const { box, sent } = outbox();
    const socket = new RelayedSocket(7, box);
    const got: CotRead[] = [];
    socket.on('read', (r: CotRead) => got.push(r));
    socket.received(read('one'), 100);
    expect(got).toEqual([]); // a new connection is paused until its stream resumes it
    socket.resume();
    socket.received(read('two'), 20);
    socket.pause();
    socket.received(read('three'), 3);
    expect(uids(got)).toEqual(['one', 'two']);
    socket.resume();
    expect(uids(got)).toEqual(['one', 'two', 'three']);
    await tick();
    const ops = sent.flatMap((s) => opsOf(s.m));
    expect(ops.map((o) => o.t)).toEqual(['resume', 'pause', 'resume', 'consumed']);
    expect(ops.at(-1)).toEqual({ t: 'consumed', id: 7, bytes: 123 });
  });

  it('counts as buffered what the worker has not taken and what its socket still holds', () => {
    const socket = new RelayedSocket(1, outbox().box);
    socket.write(Buffer.alloc(1000));
    socket.write('x'.repeat(500));
    expect(socket.writableLength).toBe(1500);
    socket.acknowledged(1000, 800);
    expect(socket.writableLength).toBe(500 + 800);
    socket.acknowledged(500, 0);
    expect(socket.writableLength).toBe(0);
  });

  it('delivers what a closed client sent before it closed once its reader resumes, then closes', async () => {
    const socket = new RelayedSocket(5, outbox().box);
    const events: string[] = [];
    socket.on('read', (r: CotRead) => events.push(...uids([r])));
    socket.on('close', () => events.push('<close>'));
    socket.received(read('last words'), 10);
    socket.remoteClosed();
    await tick();
    expect(events).toEqual([]);
    expect(socket.write('late')).toBe(false);
    socket.resume();
    await tick();
    expect(events).toEqual(['last words', '<close>']);
  });

  it('closes once, after the turn, and writes nothing after', async () => {
    const { box, sent } = outbox();
    const socket = new RelayedSocket(3, box);
    let closes = 0;
    socket.on('close', () => closes++);
    socket.destroy();
    socket.closed();
    expect(socket.write('late')).toBe(false);
    expect(closes).toBe(0);
    await tick();
    await tick();
    expect(closes).toBe(1);
    expect(sent.flatMap((s) => opsOf(s.m))).toEqual([{ t: 'destroy', id: 3 }]);
  });
});
