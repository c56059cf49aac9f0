import { CotError } from './types.js';
import { nameEnd, wideWidth } from './xml-chars.js';
import { xmlDeclEnd } from './xml-decl.js';
import {
  AMP,
  APOS,
  ATTR,
  BANG,
  CR,
  checkChars,
  EQ,
  GT,
  isSpace,
  LF,
  LT,
  lineEnds,
  notXml,
  QM,
  QUOT,
  RSQB,
  reference,
  SLASH,
  SP,
  STOPS,
  TAB,
  TEXT,
} from './xml-lex.js';

/**
 * A strict, non-validating scanner of one XML document, written for CoT (see ADR 0009). It
 * checks well-formedness as saxes did (names, quoting, attribute uniqueness, nesting, characters,
 * comments, CDATA, references) but has no DTD support at all: a DOCTYPE anywhere is refused, as
 * is any processing instruction other than the XML declaration at the very start, and the only
 * references are the five predefined entities and character references. Nothing is ever fetched
 * or expanded beyond one character per reference, so the work is linear in the input.
 *
 * It hands start tags to a reader by offsets; attribute values are decoded only when the reader
 * asks for them, and text only while the reader wants it: CoT readers skip most of an event.
 */

export interface XmlReader {
  /** A start tag was read; its attributes can be asked for until the next call. */
  open(depth: number, nameStart: number, nameEnd: number): void;
  close(depth: number, nameStart: number, nameEnd: number): void;
  /** Character data (text and CDATA) inside elements, decoded; only called while `wantText`. */
  text(s: string): void;
  wantText: boolean;
}

/** An attribute value holds a reference or a tab, CR or LF: decoding it is more than a slice. */
const SLOW = 1;
/** Above this many attributes, uniqueness is checked with a set, so that it stays linear. */
const FEW_ATTRIBUTES = 16;

export class XmlScanner {
  private src = '';
  private len = 0;
  private reader: XmlReader | null = null;
  private depth = 0;
  private rootDone = false;
  private readonly openStart: Int32Array;
  private readonly openEnd: Int32Array;
  private attrCount = 0;
  private lastFound = -5;
  /** Per attribute of the last start tag: name start, name end, value start, value end, flags. */
  private attrs = new Int32Array(5 * 32);
  /** The attribute names of a start tag with many, once there are many. */
  private manyNames: Set<string> | null = null;
  /** The last XML declaration found well-formed. */
  private lastDecl = '<?xml version="1.0"?>';
  /** The character the last reference stood for (written by `reference`). */
  refChar = '';

  constructor(private readonly maxDepth: number) {
    this.openStart = new Int32Array(maxDepth);
    this.openEnd = new Int32Array(maxDepth);
  }

  /** Reads the whole document; throws CotError at the first fault, in document order. */
  scan(src: string, reader: XmlReader): void {
    this.src = src;
    this.len = src.length;
    this.reader = reader;
    this.depth = 0;
    this.rootDone = false;
    this.attrCount = 0;
    let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (src.startsWith('<?xml', i) && nameEnd(src, i + 2, this.len) === i + 5) {
      // A client sends the same declaration with every event: once checked, it is recognised.
      if (src.startsWith(this.lastDecl, i)) i += this.lastDecl.length;
      else {
        const end = xmlDeclEnd(src, i + 5, this.len);
        this.lastDecl = src.slice(i, end);
        i = end;
      }
    }
    const len = this.len;
    for (;;) {
      if (this.depth === 0) {
        while (i < len && isSpace(src.charCodeAt(i))) i++;
        if (i >= len) break;
        if (src.charCodeAt(i) !== LT) notXml('text data outside of root node');
      } else i = this.text(i);
      i = this.markup(i);
    }
    if (!this.rootDone) notXml('document must contain a root element');
    this.reader = null;
    this.src = '';
  }

  /**
   * The value of the named attribute of the last start tag, decoded, or undefined. The search
   * starts after the attribute found last: readers ask in the order clients write them.
   */
  attr(name: string): string | undefined {
    const a = this.attrs;
    const s = this.src;
    const n = name.length;
    const c0 = name.charCodeAt(0);
    const end = this.attrCount * 5;
    let k = this.lastFound + 5;
    for (let left = this.attrCount; left > 0; left--, k += 5) {
      if (k >= end) k = 0;
      const at = a[k]!;
      if (a[k + 1]! - at === n && s.charCodeAt(at) === c0 && s.startsWith(name, at)) {
        this.lastFound = k;
        return this.value(k);
      }
    }
    return undefined;
  }

  name(start: number, end: number): string {
    return this.src.slice(start, end);
  }

  /** Whether src[start, end) is `name`, without making a string of it. */
  nameIs(start: number, end: number, name: string): boolean {
    return end - start === name.length && this.src.startsWith(name, start);
  }

  private value(k: number): string {
    const a = this.attrs;
    const from = a[k + 2]!;
    const to = a[k + 3]!;
    if ((a[k + 4]! & SLOW) === 0) return this.src.slice(from, to);
    // Attribute-value normalisation: a literal tab, LF, CR or CRLF is one space; references are not.
    const s = this.src;
    let out = '';
    let seg = from;
    for (let i = from; i < to; ) {
      const c = s.charCodeAt(i);
      if (c === AMP) {
        out += s.slice(seg, i);
        i = reference(this.src, i, this);
        out += this.refChar;
        seg = i;
      } else if (c === TAB || c === LF || c === CR) {
        out += `${s.slice(seg, i)} `;
        i += c === CR && s.charCodeAt(i + 1) === LF ? 2 : 1;
        seg = i;
      } else i++;
    }
    return out + s.slice(seg, to);
  }

  /** At `<`: a comment, CDATA, a DOCTYPE, a processing instruction, an end or a start tag. */
  private markup(i: number): number {
    const s = this.src;
    const c = s.charCodeAt(i + 1);
    if (c === BANG) {
      if (s.startsWith('--', i + 2)) return this.comment(i + 4);
      if (s.startsWith('DOCTYPE', i + 2)) throw new CotError('doctype', 'DOCTYPE is not allowed in CoT');
      if (s.startsWith('[CDATA[', i + 2) && this.depth > 0) return this.cdata(i + 9);
      notXml('incorrect syntax');
    }
    if (c === QM) {
      const end = nameEnd(s, i + 2, this.len);
      if (end === i + 2) notXml('processing instruction without a target');
      if (s.slice(i + 2, end).toLowerCase() === 'xml')
        notXml('an XML declaration must be at the start of the document');
      throw new CotError('processing-instruction', 'processing instructions are not allowed in CoT');
    }
    if (c === SLASH) return this.endTag(i + 2);
    if (this.rootDone) notXml('documents may contain only one root');
    return this.startTag(i + 1);
  }

  private startTag(i: number): number {
    const s = this.src;
    const len = this.len;
    const ns = i;
    i = nameEnd(s, i, len);
    if (i === ns) notXml('disallowed character in tag name');
    const ne = i;
    this.attrCount = 0;
    this.lastFound = -5;
    this.manyNames = null;
    let selfClosing = false;
    for (;;) {
      const before = i;
      while (i < len && isSpace(s.charCodeAt(i))) i++;
      if (i >= len) notXml('unexpected end');
      const c = s.charCodeAt(i);
      if (c === GT) {
        i++;
        break;
      }
      if (c === SLASH) {
        if (s.charCodeAt(i + 1) !== GT) notXml('forward-slash in opening tag not followed by >');
        i += 2;
        selfClosing = true;
        break;
      }
      if (i === before)
        notXml(ne === before ? 'disallowed character in tag name' : 'no whitespace between attributes');
      i = this.attribute(i);
    }
    const depth = this.depth;
    if (depth >= this.maxDepth) throw new CotError('too-deep', 'elements nested too deeply');
    const reader = this.reader!;
    reader.open(depth, ns, ne);
    if (selfClosing) {
      reader.close(depth, ns, ne);
      if (depth === 0) this.rootDone = true;
    } else {
      this.openStart[depth] = ns;
      this.openEnd[depth] = ne;
      this.depth = depth + 1;
    }
    return i;
  }

  /** One `name = "value"` in a start tag; records offsets, checks uniqueness. */
  private attribute(i: number): number {
    const s = this.src;
    const len = this.len;
    const ns = i;
    i = nameEnd(s, i, len);
    if (i === ns) notXml('disallowed character in attribute name');
    const ne = i;
    while (i < len && isSpace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== EQ) notXml('attribute without value');
    i++;
    while (i < len && isSpace(s.charCodeAt(i))) i++;
    const q = s.charCodeAt(i);
    if (q !== QUOT && q !== APOS) notXml('unquoted attribute value');
    const vs = ++i;
    let flags = 0;
    for (;;) {
      while (i < len && (STOPS[s.charCodeAt(i)]! & ATTR) === 0) i++;
      if (i >= len) notXml('unexpected end');
      const c = s.charCodeAt(i);
      if (c === q) break;
      if (c < SP) {
        if (c !== TAB && c !== LF && c !== CR) notXml('disallowed character');
        flags = SLOW;
        i++;
      } else if (c === LT) notXml('disallowed character');
      else if (c === AMP) {
        flags = SLOW;
        i = reference(this.src, i, this);
      } else if (c >= 0xd800) {
        const w = wideWidth(s, i, c);
        if (w === 0) notXml('disallowed character');
        i += w;
      } else i++;
    }
    this.checkUnique(ns, ne);
    const k = this.attrCount++ * 5;
    if (k + 5 > this.attrs.length) {
      const grown = new Int32Array(this.attrs.length * 2);
      grown.set(this.attrs);
      this.attrs = grown;
    }
    const a = this.attrs;
    a[k] = ns;
    a[k + 1] = ne;
    a[k + 2] = vs;
    a[k + 3] = i;
    a[k + 4] = flags;
    return i + 1;
  }

  private checkUnique(ns: number, ne: number): void {
    const s = this.src;
    const a = this.attrs;
    const n = this.attrCount;
    if (n < FEW_ATTRIBUTES) {
      const c0 = s.charCodeAt(ns);
      for (let k = 0; k < n * 5; k += 5) {
        const os = a[k]!;
        if (a[k + 1]! - os !== ne - ns || s.charCodeAt(os) !== c0) continue;
        let j = 0;
        while (j < ne - ns && s.charCodeAt(os + j) === s.charCodeAt(ns + j)) j++;
        if (j === ne - ns) notXml(`duplicate attribute: ${s.slice(ns, ne)}`);
      }
      return;
    }
    if (this.manyNames === null) {
      this.manyNames = new Set<string>();
      for (let k = 0; k < n * 5; k += 5) this.manyNames.add(s.slice(a[k]!, a[k + 1]!));
    }
    const name = s.slice(ns, ne);
    if (this.manyNames.has(name)) notXml(`duplicate attribute: ${name}`);
    this.manyNames.add(name);
  }

  private endTag(i: number): number {
    const s = this.src;
    const ns = i;
    i = nameEnd(s, i, this.len);
    if (i === ns) notXml('disallowed character in closing tag');
    const ne = i;
    while (i < this.len && isSpace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== GT) notXml('disallowed character in closing tag');
    const depth = this.depth - 1;
    if (depth < 0) notXml(`unmatched closing tag: ${s.slice(ns, i)}`);
    const os = this.openStart[depth]!;
    const n = this.openEnd[depth]! - os;
    let j = 0;
    if (ne - ns === n) while (j < n && s.charCodeAt(os + j) === s.charCodeAt(ns + j)) j++;
    if (j !== n || ne - ns !== n) notXml('unexpected close tag');
    this.depth = depth;
    this.reader!.close(depth, os, os + n);
    if (depth === 0) this.rootDone = true;
    return i + 1;
  }

  /** Character data up to the next `<`, checked; handed to the reader only when it wants it. */
  private text(i: number): number {
    const s = this.src;
    const len = this.len;
    const want = this.reader!.wantText;
    let out = '';
    let seg = i;
    let cr = false;
    for (;;) {
      while (i < len && (STOPS[s.charCodeAt(i)]! & TEXT) === 0) i++;
      if (i >= len) notXml('unclosed tag');
      const c = s.charCodeAt(i);
      if (c === LT) break;
      if (c < SP) {
        if (c !== TAB && c !== LF && c !== CR) notXml('disallowed character');
        if (c === CR) cr = true;
        i++;
      } else if (c === AMP) {
        if (want) out += lineEnds(s.slice(seg, i), cr);
        i = reference(this.src, i, this);
        if (want) out += this.refChar;
        seg = i;
      } else if (c === RSQB) {
        if (s.startsWith(']]>', i)) notXml('the string "]]>" is disallowed in char data');
        i++;
      } else if (c >= 0xd800) {
        const w = wideWidth(s, i, c);
        if (w === 0) notXml('disallowed character');
        i += w;
      } else i++;
    }
    if (want) {
      out += lineEnds(s.slice(seg, i), cr);
      if (out) this.reader!.text(out);
    }
    return i;
  }

  private comment(i: number): number {
    const end = this.src.indexOf('--', i);
    if (end < 0) notXml('unclosed comment');
    if (this.src.charCodeAt(end + 2) !== GT) notXml('malformed comment');
    checkChars(this.src, i, end);
    return end + 3;
  }

  private cdata(i: number): number {
    const end = this.src.indexOf(']]>', i);
    if (end < 0) notXml('unclosed CDATA section');
    const cr = checkChars(this.src, i, end);
    if (this.reader!.wantText && end > i) this.reader!.text(lineEnds(this.src.slice(i, end), cr));
    return end + 3;
  }
}
