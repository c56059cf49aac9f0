import { parseIsoTime } from '../../../domain/iso-time.js';
import { TRACK_UID_PATTERN } from '../../../domain/tracks.js';
import { type CotDetail, CotError, type CotEvent, type CotLink, type CotPoint } from './types.js';
import { type XmlReader, XmlScanner } from './xml-scan.js';

/**
 * A strict parser of one CoT `<event>`: Concord's own XML scanner (ADR 0009), which refuses any
 * DOCTYPE and processing instruction and expands nothing but the five predefined entities and
 * character references, so entity bombs and external entities (XXE) cannot happen, whatever the
 * bytes. It reads the attributes Concord maps and checks, but does not keep, everything else.
 */

/** CoT's way of saying "unknown" for hae, ce and le. */
export const COT_UNKNOWN = 9_999_999;
const MAX_DEPTH = 12;
const MAX_REMARKS = 4000;
const MAX_VERTICES = 1000;
const UID_RE = new RegExp(TRACK_UID_PATTERN);
/** Atoms separated by dashes, e.g. `a-f-G-U-C`, `b-m-p-s-m`, `t-x-c-t`. */
const TYPE_RE = /^[A-Za-z0-9]{1,8}(-[A-Za-z0-9.]{1,16}){0,15}$/;

/** What an open element is to the reader: the elements whose names matter below them. */
const OTHER = 0;
const DETAIL = 1;
const SHAPE = 2;
const REMARKS = 3;

const scanner = new XmlScanner(MAX_DEPTH);
/** The kind of each open element by depth; the parser is synchronous, so one array serves all. */
const kinds = new Uint8Array(MAX_DEPTH);

function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  // Number('') and Number('  ') are 0, but an empty value says nothing.
  if (n === 0 && v.trim() === '') return undefined;
  return Number.isFinite(n) ? n : undefined;
}

function time(v: string | undefined, what: string): number {
  const t = v === undefined ? Number.NaN : parseIsoTime(v);
  if (Number.isNaN(t)) throw new CotError('bad-time', `${what} is not an ISO 8601 time with a zone`);
  return t;
}

const known = (x: number | undefined) => (x === undefined || x === COT_UNKNOWN ? null : x);

/** Collects the part of one event Concord maps, as the scanner hands it over. */
class CotReader implements XmlReader {
  wantText = false;
  seen = false;
  uid: string | undefined;
  type: string | undefined;
  how: string | undefined;
  version: string | undefined;
  time: string | undefined;
  start: string | undefined;
  stale: string | undefined;
  hasPoint = false;
  lat: string | undefined;
  lon: string | undefined;
  hae: string | undefined;
  ce: string | undefined;
  le: string | undefined;
  remarks: string | null = null;
  shapes = 0;
  readonly detail: CotDetail = { links: [], shapeVertices: [] };

  open(depth: number, ns: number, ne: number): void {
    const sc = scanner;
    if (depth === 0) {
      if (!sc.nameIs(ns, ne, 'event'))
        throw new CotError('not-an-event', `root element is <${sc.name(ns, ne)}>`);
      this.seen = true;
      // In the order ATAK writes them, which makes each look-up one comparison.
      this.version = sc.attr('version');
      this.uid = sc.attr('uid');
      this.type = sc.attr('type');
      this.time = sc.attr('time');
      this.start = sc.attr('start');
      this.stale = sc.attr('stale');
      this.how = sc.attr('how');
      kinds[0] = OTHER;
      return;
    }
    const kind = sc.nameIs(ns, ne, 'detail')
      ? DETAIL
      : sc.nameIs(ns, ne, 'shape')
        ? SHAPE
        : sc.nameIs(ns, ne, 'remarks')
          ? REMARKS
          : OTHER;
    kinds[depth] = kind;
    if (depth === 1) {
      if (sc.nameIs(ns, ne, 'point')) this.point();
    } else if (kinds[1] === DETAIL) {
      if (depth === 2 && kind === REMARKS) {
        this.wantText = true;
        this.remarks = '';
      }
      if (kinds[depth - 1] === DETAIL) this.detailChild(sc.name(ns, ne));
      else if (this.shapes > 0 && sc.nameIs(ns, ne, 'vertex')) this.vertex();
    }
    if (kind === SHAPE) this.shapes++;
  }

  close(depth: number): void {
    const kind = kinds[depth];
    if (kind === SHAPE) this.shapes--;
    else if (kind === REMARKS && depth === 2) this.wantText = false;
  }

  text(t: string): void {
    if (this.remarks !== null && this.remarks.length < MAX_REMARKS) this.remarks += t;
  }

  private point(): void {
    const sc = scanner;
    this.hasPoint = true;
    this.lat = sc.attr('lat');
    this.lon = sc.attr('lon');
    this.hae = sc.attr('hae');
    this.ce = sc.attr('ce');
    this.le = sc.attr('le');
  }

  /** The children of <detail> Concord uses; every other one is skipped. */
  private detailChild(name: string): void {
    const sc = scanner;
    const d = this.detail;
    switch (name) {
      case 'contact': {
        const callsign = sc.attr('callsign');
        if (callsign) d.callsign = callsign.slice(0, 100);
        return;
      }
      case '__group':
        d.group = {};
        set(d.group, 'role', sc.attr('role'));
        set(d.group, 'name', sc.attr('name'));
        return;
      case 'track': {
        const course = num(sc.attr('course'));
        const speed = num(sc.attr('speed'));
        const track: CotDetail['track'] = {};
        if (speed !== undefined && speed >= 0) track.speed = speed;
        if (course !== undefined && course >= 0 && course <= 360) track.course = course;
        d.track = track;
        return;
      }
      case 'link':
        if (d.links.length < MAX_VERTICES) {
          const link: CotLink = {};
          set(link, 'uid', sc.attr('uid'));
          set(link, 'type', sc.attr('type'));
          set(link, 'relation', sc.attr('relation'));
          set(link, 'point', sc.attr('point'));
          d.links.push(link);
        }
        return;
      case '__milsym': {
        const id = sc.attr('id');
        if (id) d.milsym = id;
        return;
      }
      case 'precisionlocation':
        d.precisionLocation = {};
        set(d.precisionLocation, 'altsrc', sc.attr('altsrc'));
        set(d.precisionLocation, 'geopointsrc', sc.attr('geopointsrc'));
        return;
      case 'status':
        d.status = {};
        set(d.status, 'battery', sc.attr('battery'));
        return;
      case 'takv':
        d.takv = {};
        set(d.takv, 'os', sc.attr('os'));
        set(d.takv, 'version', sc.attr('version'));
        set(d.takv, 'device', sc.attr('device'));
        set(d.takv, 'platform', sc.attr('platform'));
        return;
      case 'vertex':
        if (this.shapes > 0) this.vertex();
        return;
    }
  }

  private vertex(): void {
    if (this.detail.shapeVertices.length >= MAX_VERTICES) return;
    const lat = num(scanner.attr('lat'));
    const lon = num(scanner.attr('lon'));
    if (lat !== undefined && lon !== undefined) this.detail.shapeVertices.push([lat, lon]);
  }

  toPoint(): CotPoint {
    const lat = num(this.lat);
    const lon = num(this.lon);
    if (lat === undefined || lon === undefined || lat < -90 || lat > 90 || lon < -180 || lon > 180)
      throw new CotError('bad-point', 'point lat/lon missing or out of range');
    return { lat, lon, hae: known(num(this.hae)), ce: known(num(this.ce)), le: known(num(this.le)) };
  }
}

/**
 * Keeps an attribute that is present (an empty value included); absent ones are left out. Called
 * with literal keys, in the order ATAK writes them (see XmlScanner.attr), so each store is monomorphic.
 */
function set<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v !== undefined) o[k] = v;
}

/** Parses one framed event (an optional XML declaration, then `<event>…</event>`); throws CotError. */
export function parseCotEvent(xml: string): CotEvent {
  const r = new CotReader();
  scanner.scan(xml, r);
  if (!r.seen) throw new CotError('not-an-event', 'no <event> element');
  const uid = r.uid ?? '';
  if (!UID_RE.test(uid)) throw new CotError('bad-uid', 'event uid missing or not [A-Za-z0-9._:-]{1,100}');
  const type = r.type ?? '';
  if (!TYPE_RE.test(type)) throw new CotError('bad-type', 'event type missing or malformed');
  if (!r.hasPoint) throw new CotError('bad-point', 'event has no <point>');
  const t = time(r.time, 'time');
  const start = r.start === undefined ? t : time(r.start, 'start');
  const stale = time(r.stale, 'stale');
  const detail = r.detail;
  if (r.remarks !== null) detail.remarks = r.remarks.slice(0, MAX_REMARKS).trim();
  return {
    version: r.version ?? '2.0',
    uid,
    type,
    how: r.how ?? '',
    time: t,
    start,
    stale,
    point: r.toPoint(),
    detail,
  };
}
