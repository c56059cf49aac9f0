import { describe, expect, it } from 'vitest';
import type { TrackMove } from '../../src/domain/tracks.js';
import { changeTexts, Outgoing } from '../../src/server/modules/live/prepared.js';

const move = (id: string, lat: number): Outgoing => {
  const m: TrackMove = [id, 34.4, lat, null, null, null, null, 1, 2];
  return new Outgoing({ type: 'moves', layer: 'tracks', moves: [m] }, m);
};
const del = (id: string) => new Outgoing({ type: 'delete', layer: 'tracks', id });
const up = (id: string) => new Outgoing({ type: 'upsert', layer: 'tracks', id, feature: { id } });

describe('live frames: the messages of one flush', () => {
  it('gathers a run of moves into one message', () => {
    const texts = changeTexts([move('a', 31.1), move('b', 31.2)]);
    expect(texts.map((t) => JSON.parse(t))).toEqual([
      {
        type: 'moves',
        layer: 'tracks',
        moves: [
          ['a', 34.4, 31.1, null, null, null, null, 1, 2],
          ['b', 34.4, 31.2, null, null, null, null, 1, 2],
        ],
      },
    ]);
  });

  it('keeps the order when one entity is moved, dropped and sent whole again', () => {
    const texts = changeTexts([move('a', 31.1), del('a'), up('a'), move('b', 31.2), move('a', 31.3)]);
    const kinds = texts.map((t) => JSON.parse(t) as { type: string; moves?: TrackMove[] });
    expect(kinds.map((k) => k.type)).toEqual(['moves', 'delete', 'upsert', 'moves']);
    expect(kinds[0]!.moves!.map((m) => m[0])).toEqual(['a']);
    expect(kinds[3]!.moves!.map((m) => [m[0], m[2]])).toEqual([
      ['b', 31.2],
      ['a', 31.3],
    ]);
  });
});
