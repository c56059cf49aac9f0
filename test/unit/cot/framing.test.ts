import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CotFramer } from '../../../src/server/ingest/cot/framing.js';
import { CotError } from '../../../src/server/ingest/cot/types.js';
import { markerEvent, pingEvent, saEvent } from '../../support/cot.js';

const events = [saEvent(), markerEvent(), pingEvent()];
const stream = Buffer.from(events.join('\n'));

function reasonOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof CotError) return e.reason;
    throw e;
  }
  return 'accepted';
}

describe('CoT stream framing', () => {
  it('splits back-to-back events after </event>', () => {
    const out = new CotFramer().push(stream);
    expect(out).toEqual([events[0], events[1], events[2]]);
  });

  it('gives the same events when the bytes arrive one at a time', () => {
    const f = new CotFramer();
    const out: string[] = [];
    for (let i = 0; i < stream.length; i++) out.push(...f.push(stream.subarray(i, i + 1)));
    expect(out).toEqual(events);
    expect(f.pending).toBe(0);
  });

  it('gives the same events however the stream is cut in two, at every byte', () => {
    const bytes = Buffer.from(`${events.join('')}  junk ${saEvent({ callsign: 'Ünïcødé-名前' })}`);
    const whole = new CotFramer().push(bytes);
    expect(whole).toHaveLength(4);
    for (let k = 0; k <= bytes.length; k++) {
      const f = new CotFramer();
      const out = [...f.push(bytes.subarray(0, k)), ...f.push(bytes.subarray(k))];
      expect(out).toEqual(whole);
      expect(f.pending).toBe(0);
    }
  });

  it('gives the same events for any cutting into many reads', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(stream.length), { maxLength: 30 }), (cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), stream.length];
        const f = new CotFramer();
        const out: string[] = [];
        for (let i = 1; i < at.length; i++) out.push(...f.push(stream.subarray(at[i - 1], at[i])));
        expect(out).toEqual(events);
      }),
      { numRuns: 300 },
    );
  });

  it('stays linear when a large event arrives a byte at a time', () => {
    const big = Buffer.from(`<event uid="x">${'a'.repeat(60 * 1024)}</event>`);
    const f = new CotFramer();
    const t0 = performance.now();
    const out: string[] = [];
    for (let i = 0; i < big.length; i++) out.push(...f.push(big.subarray(i, i + 1)));
    expect(out).toHaveLength(1);
    // Copying the held bytes at every read would be 2 GB of copying here.
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('keeps multi-byte UTF-8 intact when a character is split across reads', () => {
    const xml = saEvent({ callsign: 'Ünïcødé-名前' });
    const bytes = Buffer.from(xml);
    const f = new CotFramer();
    const out = [...f.push(bytes.subarray(0, 700)), ...f.push(bytes.subarray(700))];
    expect(out).toEqual([xml]);
  });

  it('skips and counts garbage between events', () => {
    const f = new CotFramer();
    const out = f.push(Buffer.from(`hello junk${events[0]}  \n xx${events[1]}`));
    expect(out).toEqual([events[0], events[1]]);
    expect(f.garbageBytes).toBe('hello junk'.length + '  \n xx'.length);
  });

  it('refuses an event over the cap, even before it ends', () => {
    const f = new CotFramer({ maxEventBytes: 1024, maxBufferBytes: 4096 });
    const big = `<event uid="x">${'a'.repeat(2000)}</event>`;
    expect(reasonOf(() => f.push(Buffer.from(big)))).toBe('event-too-large');
    const g = new CotFramer({ maxEventBytes: 1024, maxBufferBytes: 4096 });
    expect(reasonOf(() => g.push(Buffer.from(`<event uid="x">${'a'.repeat(1500)}`)))).toBe('event-too-large');
  });

  it('refuses a never-ending stream of garbage', () => {
    const f = new CotFramer({ maxEventBytes: 1024, maxBufferBytes: 4096 });
    let reason = 'accepted';
    for (let i = 0; i < 10 && reason === 'accepted'; i++)
      reason = reasonOf(() => f.push(Buffer.alloc(300, 0x41)));
    expect(reason).toBe('event-too-large');
  });

  it('refuses a read that would push the connection buffer over its cap', () => {
    const f = new CotFramer({ maxEventBytes: 1024, maxBufferBytes: 4096 });
    expect(reasonOf(() => f.push(Buffer.alloc(5000, 0x20)))).toBe('buffer-overflow');
  });
});
