import { CLASSIFICATIONS, type Classification, type Marking, PRINCIPAL_PATTERN } from './marking.js';

/**
 * The Humanitarian Exchange Language (HXL) as imports read it: a CSV with a row of hashtags
 * (`#org+name`, `#adm1+code` …) under or instead of the text headers. A hashtag is matched
 * case-insensitively, whatever the order of its attributes and the whitespace around them.
 */

export interface Hashtag {
  tag: string;
  attributes: ReadonlySet<string>;
}

const HASHTAG = /^#([a-z][a-z0-9_]*)((?:\s*\+\s*[a-z][a-z0-9_]*)*)\s*$/i;

/** `#Org +Name` → { tag: 'org', attributes: {'name'} }; null when the cell is not a hashtag. */
export function parseHashtag(cell: string): Hashtag | null {
  const m = HASHTAG.exec(cell.trim());
  if (!m) return null;
  const attrs = (m[2] ?? '')
    .split('+')
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
  return { tag: m[1]!.toLowerCase(), attributes: new Set(attrs) };
}

export function formatHashtag(h: Hashtag): string {
  return `#${h.tag}${[...h.attributes].map((a) => `+${a}`).join('')}`;
}

/**
 * A hashtag row: at least half of its non-empty cells (and at least one) are hashtags. HXL lets
 * a cell of the row be empty (a column nobody tagged) and tolerates a stray note.
 */
export function isHashtagRow(cells: readonly string[]): boolean {
  const filled = cells.filter((c) => c.trim() !== '');
  if (filled.length === 0) return false;
  const tagged = filled.filter((c) => parseHashtag(c) !== null).length;
  return tagged > 0 && tagged * 2 >= filled.length;
}

/** How far into a file the hashtag row may be (HXL tools look at the first 25 rows). */
export const HASHTAG_ROW_SEARCH = 25;

/** What a field of an import reads: the first column whose hashtag matches one of `patterns`. */
export interface FieldSpec<F extends string = string> {
  field: F;
  /** Hashtag patterns: the tag and the attributes a column must have (it may have more). */
  patterns: readonly string[];
  /** Attributes that rule a column out (`#org+funder` is not the requesting organisation). */
  exclude?: readonly string[];
  required?: boolean;
  /** Shown in errors and in the documentation of the import. */
  label: string;
}

function matches(h: Hashtag, pattern: Hashtag, exclude: readonly string[]): boolean {
  if (h.tag !== pattern.tag) return false;
  for (const a of pattern.attributes) if (!h.attributes.has(a)) return false;
  return !exclude.some((x) => h.attributes.has(x));
}

export interface ColumnMap<F extends string> {
  /** The column index of each field found. */
  columns: Partial<Record<F, number>>;
  /** The hashtag as written in the file, per field found (for error reports). */
  hashtags: Partial<Record<F, string>>;
  /** Required fields without a column: a file missing one cannot be imported. */
  missing: FieldSpec<F>[];
}

/**
 * Which column holds each field. Patterns are tried in order, and for each pattern the columns
 * left to right, so that `#loc+crossing` wins over a plain `#loc` wherever the columns are.
 */
export function mapColumns<F extends string>(
  hashtagRow: readonly string[],
  specs: readonly FieldSpec<F>[],
): ColumnMap<F> {
  const parsed = hashtagRow.map((c) => parseHashtag(c));
  const taken = new Set<number>();
  const columns: Partial<Record<F, number>> = {};
  const hashtags: Partial<Record<F, string>> = {};
  const missing: FieldSpec<F>[] = [];
  for (const spec of specs) {
    let found = -1;
    for (const p of spec.patterns) {
      const pattern = parseHashtag(p);
      if (!pattern) throw new Error(`bad hashtag pattern ${p}`);
      found = parsed.findIndex(
        (h, i) => h !== null && !taken.has(i) && matches(h, pattern, spec.exclude ?? []),
      );
      if (found >= 0) break;
    }
    if (found >= 0) {
      taken.add(found);
      columns[spec.field] = found;
      hashtags[spec.field] = hashtagRow[found]!.trim();
    } else if (spec.required) missing.push(spec);
  }
  return { columns, hashtags, missing };
}

/** A spec's hashtags as a reader should write them: `#loc+crossing`, or `#item+unit / #indicator+unit`. */
export function describeSpec(spec: FieldSpec): string {
  return spec.patterns.join(' or ');
}

const CLASSIFICATION_ABBREVIATIONS: Record<string, Classification> = {
  U: 'UNCLASSIFIED',
  R: 'RESTRICTED',
  C: 'CONFIDENTIAL',
  S: 'SECRET',
};
const PRINCIPAL = new RegExp(PRINCIPAL_PATTERN);

/**
 * A marking as written in a cell or header: `RESTRICTED//REL TO USA, GBR`, `UNCLASSIFIED//REL TO
 * ALL`, caveats after another `//` separated by `/`. A bare classification is not enough: a
 * marking always says to whom it is releasable. Null when it cannot be read.
 */
export function parseMarkingText(text: string): Marking | null {
  const parts = text
    .trim()
    .split('//')
    .map((p) => p.trim());
  if (parts.length < 2 || parts.length > 3) return null;
  const c = parts[0]!.toUpperCase();
  const classification = (CLASSIFICATIONS as readonly string[]).includes(c)
    ? (c as Classification)
    : CLASSIFICATION_ABBREVIATIONS[c];
  if (!classification) return null;
  const rel = /^REL(?:\s+TO)?\s+(.+)$/i.exec(parts[1]!);
  if (!rel) return null;
  const releasableTo = rel[1]!
    .split(/[,\s]+/)
    .map((p) => p.trim().toUpperCase())
    .filter(Boolean);
  const caveats = (parts[2] ?? '')
    .split('/')
    .map((p) => p.trim().toUpperCase())
    .filter(Boolean);
  if (releasableTo.length === 0 || releasableTo.length > 64 || caveats.length > 16) return null;
  if (![...releasableTo, ...caveats].every((p) => PRINCIPAL.test(p))) return null;
  return caveats.length ? { classification, releasableTo, caveats } : { classification, releasableTo };
}
