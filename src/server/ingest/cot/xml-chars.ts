/**
 * XML 1.0 (fifth edition) character classes for the CoT scanner: which UTF-16 code units may
 * appear in a document and in a name. ASCII is looked up in a table (the hot path: CoT is ASCII);
 * the rest follows the productions `Char`, `NameStartChar` and `NameChar` of the specification.
 */

const NAME_START = 1;
const NAME = 2;
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a;
  const other = (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
  ASCII[c] = (letter ? NAME_START | NAME : 0) | (other ? NAME : 0);
}

/** A name may start with this BMP code unit (not a surrogate). */
function isWideNameStart(c: number): boolean {
  return (
    (c >= 0xc0 && c <= 0xd6) ||
    (c >= 0xd8 && c <= 0xf6) ||
    (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) ||
    (c >= 0x200c && c <= 0x200d) ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd)
  );
}

function isWideName(c: number): boolean {
  return isWideNameStart(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || (c >= 0x203f && c <= 0x2040);
}

/**
 * Where the name starting at `i` ends (`i` itself when no name starts there). Supplementary
 * characters U+10000–U+EFFFF are name characters: a high surrogate D800–DB7F and a low one.
 */
export function nameEnd(s: string, i: number, len: number): number {
  if (i >= len) return i;
  const c = s.charCodeAt(i);
  if (c < 128) {
    if ((ASCII[c]! & NAME_START) === 0) return i;
    i++;
  } else {
    const w = wideNameWidth(s, i, c, true);
    if (w === 0) return i;
    i += w;
  }
  while (i < len) {
    const d = s.charCodeAt(i);
    if (d < 128) {
      if ((ASCII[d]! & NAME) === 0) return i;
      i++;
    } else {
      const w = wideNameWidth(s, i, d, false);
      if (w === 0) return i;
      i += w;
    }
  }
  return i;
}

/** The width (1, or 2 for a surrogate pair) of the non-ASCII name character at i, or 0. */
function wideNameWidth(s: string, i: number, c: number, first: boolean): number {
  if (c >= 0xd800 && c <= 0xdb7f) {
    const d = s.charCodeAt(i + 1);
    return d >= 0xdc00 && d <= 0xdfff ? 2 : 0;
  }
  return (first ? isWideNameStart(c) : isWideName(c)) ? 1 : 0;
}

/** Whether the whole of s[from, to) is one XML name (entity names must be). */
export function isName(s: string, from: number, to: number): boolean {
  return to > from && nameEnd(s, from, to) === to;
}

/**
 * The width (1 or 2) of the character at `i`, a code unit at or above U+D800, or 0 when XML
 * may not carry it: a lone surrogate, U+FFFE or U+FFFF. (saxes let a lone high surrogate
 * through; a stream decoded from UTF-8 never holds one, and refusing it is the stricter choice.)
 */
export function wideWidth(s: string, i: number, c: number): number {
  if (c <= 0xdbff) {
    const d = s.charCodeAt(i + 1);
    return d >= 0xdc00 && d <= 0xdfff ? 2 : 0;
  }
  if (c <= 0xdfff || c >= 0xfffe) return 0;
  return 1;
}

/** Whether a code point given by a character reference is an XML `Char`. */
export function isCharCode(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** The five entities XML predefines: the only ones Concord ever expands. */
export function predefinedEntity(name: string): string | undefined {
  switch (name) {
    case 'amp':
      return '&';
    case 'lt':
      return '<';
    case 'gt':
      return '>';
    case 'quot':
      return '"';
    case 'apos':
      return "'";
  }
  return undefined;
}
