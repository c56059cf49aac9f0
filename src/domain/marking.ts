import { type Static, Type } from 'typebox';

import { CLASSIFICATIONS, type Classification } from './classification.js';

export { CLASSIFICATIONS, type Classification };

/** The releasability token that means "everyone cleared for the classification". */
export const RELEASABLE_TO_ALL = 'ALL';

/** Nation (ISO 3166 alpha-3) or organisation codes: upper-case letters, digits, dash. */
export const PRINCIPAL_PATTERN = '^[A-Z][A-Z0-9-]{1,23}$';

export const MarkingSchema = Type.Object(
  {
    classification: Type.Enum(CLASSIFICATIONS),
    releasableTo: Type.Array(Type.String({ pattern: PRINCIPAL_PATTERN }), { minItems: 1, maxItems: 64 }),
    caveats: Type.Optional(Type.Array(Type.String({ pattern: PRINCIPAL_PATTERN }), { maxItems: 16 })),
  },
  { additionalProperties: false },
);
export type Marking = Static<typeof MarkingSchema>;

/** What access decisions need to know about the person or machine asking. */
export interface Clearance {
  clearance: Classification;
  /** The viewer's nation and organisation codes. */
  principals: readonly string[];
  caveats: readonly string[];
}

export function classificationLevel(c: Classification): number {
  return CLASSIFICATIONS.indexOf(c);
}

/**
 * The one access rule. PostgreSQL's row-level-security policy (`concord_can_see`) mirrors it;
 * a differential test keeps the two equal.
 */
export function canSee(viewer: Clearance, marking: Marking): boolean {
  if (classificationLevel(marking.classification) > classificationLevel(viewer.clearance)) return false;
  const released = marking.releasableTo.some((p) => p === RELEASABLE_TO_ALL || viewer.principals.includes(p));
  if (!released) return false;
  return (marking.caveats ?? []).every((c) => viewer.caveats.includes(c));
}

/** A writer may only create what they could read themselves: at or below clearance, released to them. */
export const canWrite = canSee;

/** Canonical order: USA first, then alphabetical; duplicates removed. */
export function normaliseMarking(m: Marking): Marking {
  const rel = [...new Set(m.releasableTo)];
  const releasableTo = rel.includes(RELEASABLE_TO_ALL) ? [RELEASABLE_TO_ALL] : sortPrincipals(rel);
  const caveats = [...new Set(m.caveats ?? [])].sort();
  return caveats.length
    ? { classification: m.classification, releasableTo, caveats }
    : { classification: m.classification, releasableTo };
}

function sortPrincipals(list: string[]): string[] {
  return [...list].sort((a, b) => (a === 'USA' ? -1 : b === 'USA' ? 1 : a.localeCompare(b)));
}

/** `RESTRICTED//REL TO USA, GBR`, `UNCLASSIFIED//REL TO ALL`, caveats after another `//`. */
export function formatMarking(m: Marking): string {
  const n = normaliseMarking(m);
  const rel = n.releasableTo.includes(RELEASABLE_TO_ALL)
    ? 'REL TO ALL'
    : `REL TO ${n.releasableTo.join(', ')}`;
  const cav = n.caveats?.length ? `//${n.caveats.join('/')}` : '';
  return `${n.classification}//${rel}${cav}`;
}

/**
 * The marking of an aggregate (report, count, export): the highest classification, the
 * intersection of releasability and the union of caveats of what it contains.
 */
/**
 * The markings of a list without repeats, for `aggregateMarking`: thousands of live tracks or
 * alerts carry a handful of distinct markings, and aggregating each copy took a page 0.3 s.
 */
export function distinctMarkings(parts: Iterable<Marking>): Marking[] {
  // A short list compared field by field: building a string key for each of 10,000 tracks took
  // ~0.2 s of a page's first picture. Past a few dozen distinct markings, keys are cheaper.
  const distinct: Marking[] = [];
  let keyed: Map<string, Marking> | null = null;
  let last: Marking | null = null;
  for (const m of parts) {
    if (m === last) continue;
    last = m;
    if (keyed) {
      const key = markingKey(m);
      if (!keyed.has(key)) keyed.set(key, m);
    } else if (!distinct.some((d) => equalMarkings(d, m))) {
      distinct.push(m);
      if (distinct.length > SCAN_LIMIT) keyed = new Map(distinct.map((d) => [markingKey(d), d]));
    }
  }
  return keyed ? [...keyed.values()] : distinct;
}

/** Beyond this many distinct markings, `distinctMarkings` looks them up by key instead of scanning. */
const SCAN_LIMIT = 32;

function markingKey(m: Marking): string {
  return `${m.classification}|${m.releasableTo.join(',')}|${(m.caveats ?? []).join(',')}`;
}

function equalLists(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Same fields in the same order: what `markingKey` treats as the same. */
function equalMarkings(a: Marking, b: Marking): boolean {
  return (
    a === b ||
    (a.classification === b.classification &&
      equalLists(a.releasableTo, b.releasableTo) &&
      equalLists(a.caveats ?? [], b.caveats ?? []))
  );
}

export function aggregateMarking(parts: readonly Marking[]): Marking {
  if (parts.length === 0) return { classification: 'UNCLASSIFIED', releasableTo: [RELEASABLE_TO_ALL] };
  let level = 0;
  let rel: string[] | null = null;
  const caveats = new Set<string>();
  for (const p of parts) {
    level = Math.max(level, classificationLevel(p.classification));
    for (const c of p.caveats ?? []) caveats.add(c);
    if (p.releasableTo.includes(RELEASABLE_TO_ALL)) continue;
    rel = rel === null ? [...p.releasableTo] : rel.filter((x) => p.releasableTo.includes(x));
  }
  return normaliseMarking({
    classification: CLASSIFICATIONS[level] ?? 'SECRET',
    releasableTo: rel === null ? [RELEASABLE_TO_ALL] : rel.length ? rel : ['NONE'],
    caveats: [...caveats],
  });
}
