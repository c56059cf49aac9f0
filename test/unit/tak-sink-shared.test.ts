import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Marking } from '../../src/domain/marking.js';
import { type TrackState, toTrackFeature } from '../../src/domain/tracks.js';
import { TakSink } from '../../src/server/ingest/cot/tak-sink.js';
import { Outgoing } from '../../src/server/modules/live/prepared.js';
import { plainReport } from '../support/fixtures.js';

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const USA: Marking = { classification: 'RESTRICTED', releasableTo: ['USA'] };

function upsert(uid: string, marking: Marking): Outgoing {
  const s: TrackState = {
    ...plainReport(uid, Date.UTC(2026, 11, 2)),
    kind: 'vehicle',
    affiliation: 'neutral',
    sidc: 'SNGPEV---------',
    callsign: uid,
    source: 'test',
    marking,
    version: 1,
  };
  return new Outgoing({ type: 'upsert', layer: 'tracks', id: uid, feature: toTrackFeature(s, 'TEST') });
}

/** A TAK client's socket that keeps what is written to it. */
function sinkWithSocket() {
  const written: Buffer[] = [];
  const socket = {
    destroyed: false,
    writable: true,
    writableLength: 0,
    write(b: Buffer) {
      written.push(b);
      return true;
    },
  } as unknown as Socket;
  let sent = 0;
  const sink = new TakSink(
    socket,
    (n) => {
      sent += n;
    },
    () => true,
  );
  const uids = () =>
    [
      ...Buffer.concat(written)
        .toString('utf8')
        .matchAll(/<event [^>]*uid="([^"]+)"/g),
    ].map((m) => m[1]);
  return { sink, uids, sent: () => sent, writes: written };
}

describe('TAK sinks share the CoT of identical flushes', () => {
  const a = upsert('A', ALL);
  const b = upsert('B', ALL);
  const secret = upsert('S', USA);

  it('sends each client the changes it was given, even when another got as many others just before', () => {
    const cleared = sinkWithSocket();
    const other = sinkWithSocket();
    cleared.sink.sendChanges([a, secret]);
    other.sink.sendChanges([a, b]);
    expect(cleared.uids()).toEqual(['A', 'S']);
    expect(other.uids()).toEqual(['A', 'B']);
    expect(other.sent()).toBe(2);
  });

  it('writes the very same buffer to clients given the same changes in the same order', () => {
    const one = sinkWithSocket();
    const two = sinkWithSocket();
    const three = sinkWithSocket();
    one.sink.sendChanges([b, a]);
    two.sink.sendChanges([b, a]);
    three.sink.sendChanges([a, b]);
    expect(two.writes[0]).toBe(one.writes[0]);
    expect(three.writes[0]).not.toBe(one.writes[0]);
    expect(two.uids()).toEqual(['B', 'A']);
    expect(three.uids()).toEqual(['A', 'B']);
  });
});
