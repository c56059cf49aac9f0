import { CotError } from './types.js';
import { isCharCode, isName, predefinedEntity, wideWidth } from './xml-chars.js';

/** Lexical pieces of the CoT scanner (xml-scan.ts): code units, character checks, references. */

export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SP = 32;
export const BANG = 33;
export const QUOT = 34;
const HASH = 35;
export const AMP = 38;
export const APOS = 39;
export const SLASH = 47;
export const LT = 60;
export const EQ = 61;
export const GT = 62;
export const QM = 63;
export const RSQB = 93;

/**
 * Code units that stop the fast loops: in attribute values (ATTR) and in character data (TEXT).
 * Everything else is an ordinary character, passed over with one table look-up.
 */
export const ATTR = 1;
export const TEXT = 2;
export const STOPS = new Uint8Array(0x10000);
for (let c = 0; c < SP; c++) STOPS[c] = ATTR | TEXT;
STOPS[AMP] = ATTR | TEXT;
STOPS[LT] = ATTR | TEXT;
STOPS[QUOT] = ATTR;
STOPS[APOS] = ATTR;
STOPS[RSQB] = TEXT;
STOPS.fill(ATTR | TEXT, 0xd800, 0xe000);
STOPS[0xfffe] = ATTR | TEXT;
STOPS[0xffff] = ATTR | TEXT;

export function notXml(message: string): never {
  throw new CotError('not-xml', message);
}

export const isSpace = (c: number) => c === SP || c === LF || c === TAB || c === CR;

/** End-of-line handling: CRLF and a lone CR are read as LF. */
export function lineEnds(t: string, cr: boolean): string {
  return cr ? t.replace(/\r\n?/g, '\n') : t;
}

/** Checks that src[from, to) holds only XML characters; true when it holds a CR. */
export function checkChars(s: string, from: number, to: number): boolean {
  let cr = false;
  for (let i = from; i < to; ) {
    const c = s.charCodeAt(i);
    if ((STOPS[c]! & TEXT) === 0 || c === AMP || c === LT || c === RSQB) i++;
    else if (c < SP) {
      if (c !== TAB && c !== LF && c !== CR) notXml('disallowed character');
      if (c === CR) cr = true;
      i++;
    } else if (c >= 0xd800) {
      const w = wideWidth(s, i, c);
      if (w === 0) notXml('disallowed character');
      i += w;
    } else i++;
  }
  return cr;
}

/**
 * At `&`: a predefined entity or a character reference, up to `;`; returns what follows and
 * puts the character it stands for in `out.refChar`.
 */
export function reference(s: string, i: number, out: { refChar: string }): number {
  // Like saxes, the reference runs to the next `;`; without one the document cannot be finished.
  const semi = s.indexOf(';', i + 1);
  if (semi < 0) notXml('unclosed tag');
  checkChars(s, i + 1, semi);
  if (s.charCodeAt(i + 1) === HASH) {
    const hex = s.charCodeAt(i + 2) === 0x78;
    const from = i + (hex ? 3 : 2);
    let cp = 0;
    for (let j = from; j < semi; j++) {
      const d = s.charCodeAt(j);
      const v =
        d >= 0x30 && d <= 0x39
          ? d - 0x30
          : hex && ((d >= 0x61 && d <= 0x66) || (d >= 0x41 && d <= 0x46))
            ? (d | 0x20) - 0x57
            : -1;
      if (v < 0) cp = -1;
      else if (cp >= 0) cp = Math.min(cp * (hex ? 16 : 10) + v, 0x110000);
    }
    if (semi === from || !isCharCode(cp)) throw new CotError('entity', 'malformed character entity');
    out.refChar = String.fromCodePoint(cp);
    return semi + 1;
  }
  if (semi === i + 1) throw new CotError('entity', 'empty entity name');
  if (!isName(s, i + 1, semi)) throw new CotError('entity', 'disallowed character in entity name');
  const ch = semi - i <= 5 ? predefinedEntity(s.slice(i + 1, semi)) : undefined;
  if (ch === undefined) throw new CotError('entity', 'undefined entity');
  out.refChar = ch;
  return semi + 1;
}
