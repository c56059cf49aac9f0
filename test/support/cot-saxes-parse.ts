import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { TRACK_UID_PATTERN } from '../../src/domain/tracks.js';
import { type CotDetail, CotError, type CotEvent, type CotPoint } from '../../src/server/ingest/cot/types.js';

/**
 * The saxes-based CoT parser Concord used before its own scanner (ADR 0009), kept as the
 * reference the scanner is tested against (test/unit/cot/parse-differential.test.ts).
 *
 * A strict parser of one CoT `<event>`. saxes is a conforming non-validating parser that never
 * expands entities beyond the five predefined ones and never fetches anything, and any DOCTYPE or
 * processing instruction is refused outright: entity bombs and external entities (XXE) cannot
 * happen, whatever the bytes.
 */

/** CoT's way of saying "unknown" for hae, ce and le. */
const COT_UNKNOWN = 9_999_999;
const MAX_DEPTH = 12;
const MAX_REMARKS = 4000;
const MAX_VERTICES = 1000;
const UID_RE = new RegExp(TRACK_UID_PATTERN);
/** Atoms separated by dashes, e.g. `a-f-G-U-C`, `b-m-p-s-m`, `t-x-c-t`. */
const TYPE_RE = /^[A-Za-z0-9]{1,8}(-[A-Za-z0-9.]{1,16}){0,15}$/;
/** ISO 8601 with a zone: CoT times are UTC (`Z`) in practice. */
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function num(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function time(v: string | undefined, what: string): number {
  const t = v !== undefined && TIME_RE.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(t)) throw new CotError('bad-time', `${what} is not an ISO 8601 time with a zone`);
  return t;
}

function point(a: Record<string, string>): CotPoint {
  const lat = num(a.lat);
  const lon = num(a.lon);
  if (lat === undefined || lon === undefined || lat < -90 || lat > 90 || lon < -180 || lon > 180)
    throw new CotError('bad-point', 'point lat/lon missing or out of range');
  const known = (x: number | undefined) => (x === undefined || x === COT_UNKNOWN ? null : x);
  return { lat, lon, hae: known(num(a.hae)), ce: known(num(a.ce)), le: known(num(a.le)) };
}

function pick<K extends string>(a: Record<string, string>, keys: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) if (a[k] !== undefined) out[k] = a[k];
  return out;
}

/** Reads the detail children Concord uses; everything else in <detail> is skipped. */
function detailElement(d: CotDetail, path: string[], name: string, a: Record<string, string>): void {
  const parent = path[path.length - 1];
  if (parent === 'detail') {
    switch (name) {
      case 'contact':
        if (a.callsign) d.callsign = a.callsign.slice(0, 100);
        return;
      case '__group':
        d.group = pick(a, ['name', 'role'] as const);
        return;
      case 'track': {
        const speed = num(a.speed);
        const course = num(a.course);
        d.track = {
          ...(speed !== undefined && speed >= 0 && { speed }),
          ...(course !== undefined && course >= 0 && course <= 360 && { course }),
        };
        return;
      }
      case 'link':
        if (d.links.length < MAX_VERTICES)
          d.links.push(pick(a, ['uid', 'type', 'relation', 'point'] as const));
        return;
      case '__milsym':
        if (a.id) d.milsym = a.id;
        return;
      case 'precisionlocation':
        d.precisionLocation = pick(a, ['geopointsrc', 'altsrc'] as const);
        return;
      case 'status':
        d.status = pick(a, ['battery'] as const);
        return;
      case 'takv':
        d.takv = pick(a, ['device', 'platform', 'os', 'version'] as const);
        return;
    }
  }
  if (name === 'vertex' && path.includes('shape') && d.shapeVertices.length < MAX_VERTICES) {
    const lat = num(a.lat);
    const lon = num(a.lon);
    if (lat !== undefined && lon !== undefined) d.shapeVertices.push([lat, lon]);
  }
}

/** Parses one framed event (an optional XML declaration, then `<event>…</event>`); throws CotError. */
export function parseCotEventWithSaxes(xml: string): CotEvent {
  const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
  const path: string[] = [];
  let attrs: Record<string, string> | null = null;
  let pointAttrs: Record<string, string> | null = null;
  const detail: CotDetail = { links: [], shapeVertices: [] };
  let remarks: string | null = null;
  let inRemarks = false;

  parser.on('doctype', () => {
    throw new CotError('doctype', 'DOCTYPE is not allowed in CoT');
  });
  parser.on('processinginstruction', () => {
    throw new CotError('processing-instruction', 'processing instructions are not allowed in CoT');
  });
  parser.on('error', (e) => {
    throw new CotError(/entity/i.test(e.message) ? 'entity' : 'not-xml', e.message);
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const a = tag.attributes;
    if (path.length === 0) {
      if (tag.name !== 'event') throw new CotError('not-an-event', `root element is <${tag.name}>`);
      attrs = a;
    } else if (path.length >= MAX_DEPTH) {
      throw new CotError('too-deep', 'elements nested too deeply');
    } else if (path.length === 1 && tag.name === 'point') {
      pointAttrs = a;
    } else if (path[1] === 'detail') {
      if (path.length === 2 && tag.name === 'remarks') {
        inRemarks = true;
        remarks = '';
      }
      detailElement(detail, path, tag.name, a);
    }
    path.push(tag.name);
  });
  parser.on('text', (t) => {
    if (inRemarks && remarks !== null && remarks.length < MAX_REMARKS) remarks += t;
  });
  parser.on('cdata', (t) => {
    if (inRemarks && remarks !== null && remarks.length < MAX_REMARKS) remarks += t;
  });
  parser.on('closetag', (tag) => {
    path.pop();
    if (tag.name === 'remarks' && path.length === 2) inRemarks = false;
  });
  parser.write(xml).close();

  const a = attrs as Record<string, string> | null;
  if (!a) throw new CotError('not-an-event', 'no <event> element');
  const uid = a.uid ?? '';
  if (!UID_RE.test(uid)) throw new CotError('bad-uid', 'event uid missing or not [A-Za-z0-9._:-]{1,100}');
  const type = a.type ?? '';
  if (!TYPE_RE.test(type)) throw new CotError('bad-type', 'event type missing or malformed');
  if (!pointAttrs) throw new CotError('bad-point', 'event has no <point>');
  const t = time(a.time, 'time');
  const start = a.start === undefined ? t : time(a.start, 'start');
  const stale = time(a.stale, 'stale');
  if (remarks !== null) detail.remarks = (remarks as string).slice(0, MAX_REMARKS).trim();
  return {
    version: a.version ?? '2.0',
    uid,
    type,
    how: a.how ?? '',
    time: t,
    start,
    stale,
    point: point(pointAttrs),
    detail,
  };
}
