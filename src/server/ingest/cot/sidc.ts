/**
 * CoT type <-> MIL-STD-2525C symbol code. A CoT atom type is the 2525 hierarchy written with
 * dashes: `a-f-G-U-C` is SIDC `SFGPUC---------` (warfighting, friend, ground, present, unit
 * combat). node-cot 12 carries the type table but no SIDC conversion (that came in later
 * versions, which need Node 22), so the mechanical mapping lives here.
 */

const SIDC_RE = /^[A-Za-z0-9*-]{15}$/;
const DIMENSIONS = new Set(['P', 'A', 'G', 'S', 'U', 'F', 'X']);
const AFFILIATIONS = new Set(['p', 'u', 'a', 'f', 'n', 's', 'h', 'j', 'k', 'o']);

/** The SIDC of an atom (`a-…`) type, or null for types that are not 2525 symbols. */
export function typeToSidc(type: string): string | null {
  const atoms = type.split('-');
  if (atoms[0] !== 'a' || atoms.length < 3) return null;
  const aff = atoms[1]!;
  const dim = atoms[2]!;
  if (!AFFILIATIONS.has(aff) || !DIMENSIONS.has(dim)) return null;
  const fn = atoms.slice(3);
  if (fn.length > 6 || fn.some((a) => !/^[A-Za-z0-9]$/.test(a))) return null;
  const sidc = `S${aff.toUpperCase()}${dim}P${fn.join('').toUpperCase().padEnd(6, '-')}-----`;
  return SIDC_RE.test(sidc) ? sidc : null;
}

/** The CoT type of a warfighting SIDC; `a-u-G` for anything CoT cannot express as an atom. */
export function sidcToType(sidc: string): string {
  const s = sidc.toUpperCase();
  if (!SIDC_RE.test(s) || s[0] !== 'S') return 'a-u-G';
  const aff = s[1]!.toLowerCase();
  const dim = s[2]!;
  if (!AFFILIATIONS.has(aff) || !DIMENSIONS.has(dim)) return 'a-u-G';
  const fn = s.slice(4, 10).replace(/[-*].*$/, '');
  return ['a', aff, dim, ...fn.split('').filter(Boolean)].join('-');
}
