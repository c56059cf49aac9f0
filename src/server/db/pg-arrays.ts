/**
 * Array literals for `unnest` batches, built in one pass. Handing `pg` a JS array makes it
 * convert and escape every element through its generic path (and format every Date with its
 * time zone): for a batch of position reports that cost more CPU than the insert itself.
 */

/** `{1.5,NULL,…}` for a float8[] or int[] parameter; elements must be finite numbers or null. */
export function numberArray(xs: readonly (number | null)[]): string {
  let s = '{';
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (i) s += ',';
    s += x === null || x === undefined ? 'NULL' : String(x);
  }
  return `${s}}`;
}

const NEEDS_ESCAPE = /["\\]/;

function quote(x: string): string {
  return NEEDS_ESCAPE.test(x) ? `"${x.replace(/["\\]/g, '\\$&')}"` : `"${x}"`;
}

/** `{"a",NULL,…}` for a text[] (or jsonb[]) parameter. */
export function textArray(xs: readonly (string | null)[]): string {
  let s = '{';
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (i) s += ',';
    s += x === null || x === undefined ? 'NULL' : quote(x);
  }
  return `${s}}`;
}
