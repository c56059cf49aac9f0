import { isoUtc } from '../../../domain/iso-time.js';

/**
 * Writing CoT events: escaping and the `<event>` envelope. Every track update goes to every TAK
 * client that may see it, so the common case (nothing to escape, a number) is tested, not replaced.
 */

const SPECIAL = /[&<>"']/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: exactly the characters XML 1.0 forbids
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the same, to remove them all
const FORBIDDEN_ALL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function esc(s: string): string {
  if (!SPECIAL.test(s)) return s;
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/** Strips characters XML 1.0 cannot carry at all (control characters other than tab and newlines). */
function clean(s: string): string {
  return FORBIDDEN.test(s) ? s.replace(FORBIDDEN_ALL, '') : s;
}

/** A number's decimal form never needs escaping. */
export const attr = (name: string, value: string | number): string =>
  typeof value === 'number' ? ` ${name}="${value}"` : ` ${name}="${esc(clean(value))}"`;
export const text = (s: string): string => esc(clean(s));

export interface Envelope {
  uid: string;
  type: string;
  how: string;
  /** Epoch ms, or the time already as `YYYY-MM-DDTHH:mm:ss.sssZ` (a feature's own strings). */
  time: number | string;
  start?: number | string;
  stale: number | string;
  lat: number;
  lon: number;
  hae?: number | null;
  ce?: number | null;
}

const UNKNOWN = 9_999_999;
/** An ISO time as CoT writes it: digits, dashes, colons, T, Z and a dot never need escaping. */
const timeText = (t: number | string) => (typeof t === 'string' ? t : isoUtc(t));

export function cotEvent(e: Envelope, detail: string): string {
  const time = timeText(e.time);
  const start = e.start === undefined ? time : timeText(e.start);
  return (
    `<event version="2.0"${attr('uid', e.uid)}${attr('type', e.type)}${attr('how', e.how)}` +
    ` time="${time}" start="${start}" stale="${timeText(e.stale)}">` +
    `<point${attr('lat', e.lat)}${attr('lon', e.lon)}${attr('hae', e.hae ?? UNKNOWN)}` +
    `${attr('ce', e.ce ?? UNKNOWN)}${attr('le', UNKNOWN)}/>` +
    `<detail>${detail}</detail></event>`
  );
}
