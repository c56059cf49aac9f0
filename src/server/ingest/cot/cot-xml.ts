/** Writing CoT events: escaping and the `<event>` envelope. */

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/** Strips characters XML 1.0 cannot carry at all (control characters other than tab and newlines). */
function clean(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: exactly the characters XML 1.0 forbids
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

export const attr = (name: string, value: string | number): string =>
  ` ${name}="${esc(clean(String(value)))}"`;
export const text = (s: string): string => esc(clean(s));

export interface Envelope {
  uid: string;
  type: string;
  how: string;
  time: number;
  start?: number;
  stale: number;
  lat: number;
  lon: number;
  hae?: number | null;
  ce?: number | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const UNKNOWN = 9_999_999;

export function cotEvent(e: Envelope, detail: string): string {
  return (
    `<event version="2.0"${attr('uid', e.uid)}${attr('type', e.type)}${attr('how', e.how)}` +
    `${attr('time', iso(e.time))}${attr('start', iso(e.start ?? e.time))}${attr('stale', iso(e.stale))}>` +
    `<point${attr('lat', e.lat)}${attr('lon', e.lon)}${attr('hae', e.hae ?? UNKNOWN)}` +
    `${attr('ce', e.ce ?? UNKNOWN)}${attr('le', UNKNOWN)}/>` +
    `<detail>${detail}</detail></event>`
  );
}
