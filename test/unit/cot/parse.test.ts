import { describe, expect, it } from 'vitest';
import { parseCotEvent } from '../../../src/server/ingest/cot/parse.js';
import { drawingEvent, markerEvent, pingEvent, saEvent } from '../../support/cot.js';
import { reasonOf } from '../../support/cot-reason.js';

const T = '2024-05-01T10:00:00.000Z';
const body = `<point lat="1" lon="2"/><detail><remarks>x</remarks></detail>`;
const ev = (
  inner = body,
  attrs = `uid="u-1" type="a-f-G" time="${T}" start="${T}" stale="2024-05-01T10:05:00Z"`,
) => `<event version="2.0" ${attrs}>${inner}</event>`;

describe('CoT parser', () => {
  it('reads an ATAK SA event: contact, __group, track, takv, precisionlocation, status', () => {
    const t = Date.parse('2024-05-01T10:00:00Z');
    const e = parseCotEvent(saEvent({ time: t }));
    expect(e).toMatchObject({
      uid: 'ANDROID-589520ccfcd20f01',
      type: 'a-f-G-U-C',
      how: 'h-e',
      time: t,
      start: t,
      stale: t + 360_000,
      point: { lat: 31.41, lon: 34.39, hae: -12.5, ce: 9.9, le: null },
      detail: {
        callsign: 'VIPER-1',
        group: { name: 'Cyan', role: 'Team Member' },
        track: { course: 271.3, speed: 1.25 },
        takv: { platform: 'ATAK-CIV', device: 'GOOGLE PIXEL 7' },
        precisionLocation: { geopointsrc: 'GPS', altsrc: 'GPS' },
        status: { battery: '87' },
      },
    });
  });

  it('reads a spot marker with remarks and links, a u-d-f drawing and a ping', () => {
    const m = parseCotEvent(markerEvent());
    expect(m.type).toBe('b-m-p-s-m');
    expect(m.detail.remarks).toBe('burnt-out truck at the junction');
    expect(m.detail.links[0]).toMatchObject({ uid: 'ANDROID-589520ccfcd20f01', relation: 'p-p' });
    expect(m.point.hae).toBeNull();
    const d = parseCotEvent(drawingEvent());
    expect(d.detail.links.map((l) => l.point)).toEqual([
      '31.44,34.39',
      '31.46,34.39',
      '31.46,34.41',
      '31.44,34.39',
    ]);
    expect(parseCotEvent(pingEvent()).type).toBe('t-x-c-t');
  });

  it('reads <shape> vertices, __milsym and the five predefined entities', () => {
    const e = parseCotEvent(
      ev(
        `<point lat="1" lon="2"/><detail><__milsym id="SHGPEVAT-------"/><shape><polyline closed="true">` +
          `<vertex lat="1" lon="2"/><vertex lat="1.5" lon="2.5"/></polyline></shape>` +
          `<remarks>&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &#65;</remarks></detail>`,
      ),
    );
    expect(e.detail.milsym).toBe('SHGPEVAT-------');
    expect(e.detail.shapeVertices).toEqual([
      [1, 2],
      [1.5, 2.5],
    ]);
    expect(e.detail.remarks).toBe(`<a> & "b" 'c' A`);
  });

  it('refuses DOCTYPE, entity bombs (billion laughs), XXE and processing instructions', () => {
    const laughs =
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
      `<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>` +
      ev(`<point lat="1" lon="2"/><detail><remarks>&lol3;</remarks></detail>`);
    expect(reasonOf(laughs)).toBe('doctype');
    const xxe = `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${ev(`<point lat="1" lon="2"/><detail><remarks>&xxe;</remarks></detail>`)}`;
    expect(reasonOf(xxe)).toBe('doctype');
    expect(reasonOf(ev(`<point lat="1" lon="2"/><detail><remarks>&xxe;</remarks></detail>`))).toBe('entity');
    expect(reasonOf(`<?xml-stylesheet href="http://x/"?>${ev()}`)).toBe('processing-instruction');
    expect(reasonOf(ev(`<point lat="1" lon="2"/><?php evil()?>`))).toBe('processing-instruction');
    expect(reasonOf(`${ev()}<!DOCTYPE y>`)).not.toBe('accepted');
  });

  it('refuses what is not one well-formed CoT event', () => {
    expect(reasonOf('garbage')).toBe('not-xml');
    expect(reasonOf('<event uid="x"')).toBe('not-xml');
    expect(reasonOf('<foo/>')).toBe('not-an-event');
    expect(reasonOf(`${ev()}${ev()}`)).toBe('not-xml');
    expect(
      reasonOf(
        ev(
          `<point lat="1" lon="2"/><a><b><c><d><e><f><g><h><i><j><k><l><m/></l></k></j></i></h></g></f></e></d></c></b></a>`,
        ),
      ),
    ).toBe('too-deep');
  });

  it('validates the uid, the type, the point and the times', () => {
    const a = (over: string) => ev(body, over);
    expect(reasonOf(a(`uid="bad uid!" type="a-f-G" time="${T}" stale="${T}"`))).toBe('bad-uid');
    expect(reasonOf(a(`uid="${'x'.repeat(101)}" type="a-f-G" time="${T}" stale="${T}"`))).toBe('bad-uid');
    expect(reasonOf(a(`uid="u" type="a f" time="${T}" stale="${T}"`))).toBe('bad-type');
    expect(reasonOf(a(`uid="u" type="a-f-G" time="yesterday" stale="${T}"`))).toBe('bad-time');
    expect(reasonOf(a(`uid="u" type="a-f-G" time="2024-05-01T10:00:00" stale="${T}"`))).toBe('bad-time');
    expect(reasonOf(a(`uid="u" type="a-f-G" time="${T}"`))).toBe('bad-time');
    expect(reasonOf(ev('<point lat="91" lon="2"/>'))).toBe('bad-point');
    expect(reasonOf(ev('<point lat="1" lon="-180.5"/>'))).toBe('bad-point');
    expect(reasonOf(ev('<point lat="NaN" lon="2"/>'))).toBe('bad-point');
    expect(reasonOf(ev('<detail/>'))).toBe('bad-point');
    expect(reasonOf(ev())).toBe('accepted');
  });
});
