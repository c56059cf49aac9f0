import { APOS, EQ, isSpace, notXml, QUOT } from './xml-lex.js';

/** The XML declaration, the one processing-instruction-like thing a CoT event may start with. */

const VERSION_RE = /^1\.[0-9]+$/;
const ENCODING_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const STANDALONE_RE = /^(yes|no)$/;

/**
 * `<?xml version="1.x" encoding="…" standalone="yes|no"?>`, in that order, as saxes read it;
 * i is after `<?xml`. Returns where the declaration ends.
 */
export function xmlDeclEnd(s: string, i: number, len: number): number {
  i = pseudoAttribute(s, len, i, 'version', VERSION_RE);
  if (i < 0) notXml('XML declaration must contain a version');
  const e = pseudoAttribute(s, len, i, 'encoding', ENCODING_RE);
  if (e >= 0) i = e;
  const sa = pseudoAttribute(s, len, i, 'standalone', STANDALONE_RE);
  if (sa >= 0) i = sa;
  while (i < len && isSpace(s.charCodeAt(i))) i++;
  if (!s.startsWith('?>', i)) notXml('XML declaration is incomplete');
  return i + 2;
}

/** ` name = "value"` of the XML declaration at i: where it ends, or -1 when another name is there. */
function pseudoAttribute(s: string, len: number, i: number, name: string, re: RegExp): number {
  let j = i;
  while (j < len && isSpace(s.charCodeAt(j))) j++;
  if (j === i || !s.startsWith(name, j)) return -1;
  j += name.length;
  while (isSpace(s.charCodeAt(j))) j++;
  if (s.charCodeAt(j++) !== EQ) notXml('XML declaration is incomplete');
  while (isSpace(s.charCodeAt(j))) j++;
  const q = s.charCodeAt(j);
  const end = q === QUOT ? s.indexOf('"', j + 1) : q === APOS ? s.indexOf("'", j + 1) : -1;
  if (end < 0) notXml('XML declaration is incomplete');
  if (!re.test(s.slice(j + 1, end))) notXml(`${name} value is not allowed`);
  return end + 1;
}
