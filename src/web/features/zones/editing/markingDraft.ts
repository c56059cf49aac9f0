import {
  CLASSIFICATIONS,
  type Classification,
  classificationLevel,
  type Marking,
  normaliseMarking,
  RELEASABLE_TO_ALL,
} from '../../../../domain/marking';
import type { Me } from '../../../app/auth';
import type { Organisation } from './editApi';

/** A marking as the editor holds it while someone is choosing. */
export interface MarkingDraft {
  classification: Classification;
  /**
   * The chosen nations and organisations, and 'ALL' when ticked. The others stay in the set while
   * ALL is on, so unticking ALL gives back the list as it was.
   */
  selected: ReadonlySet<string>;
  caveats: ReadonlySet<string>;
}

export interface RelOption {
  code: string;
  /** Full name, for the tooltip and screen readers. */
  title: string;
}

export function isClassification(v: string): v is Classification {
  return (CLASSIFICATIONS as readonly string[]).includes(v);
}

/** Classifications a person may write: up to their own clearance. */
export function classificationsFor(me: Me): Classification[] {
  const max = isClassification(me.clearance) ? classificationLevel(me.clearance) : 0;
  return CLASSIFICATIONS.filter((c) => classificationLevel(c) <= max);
}

/** Unclassified and released to the person's own nation (or organisation, when it has no nation). */
export function defaultMarkingDraft(me: Me): MarkingDraft {
  return {
    classification: 'UNCLASSIFIED',
    selected: new Set([me.nation ?? me.organisation]),
    caveats: new Set(),
  };
}

export function draftFromMarking(m: Marking): MarkingDraft {
  return {
    classification: m.classification,
    selected: new Set(m.releasableTo),
    caveats: new Set(m.caveats ?? []),
  };
}

export function markingFromDraft(d: MarkingDraft): Marking {
  const releasableTo = d.selected.has(RELEASABLE_TO_ALL) ? [RELEASABLE_TO_ALL] : [...d.selected];
  return normaliseMarking({
    classification: d.classification,
    releasableTo,
    ...(d.caveats.size ? { caveats: [...d.caveats] } : {}),
  });
}

/** A person may only write what stays released to them: their nation, organisation, or ALL. */
export function includesOwn(d: MarkingDraft, me: Me): boolean {
  return d.selected.has(RELEASABLE_TO_ALL) || me.principals.some((p) => d.selected.has(p));
}

function byUsaThenAlpha(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'USA') return -1;
  if (b === 'USA') return 1;
  return a.localeCompare(b);
}

/**
 * The nations and organisation codes to offer, from the organisations of the centre plus anything
 * already in the marking being edited and the person's own principals (so nothing is lost).
 */
export function relOptions(
  organisations: readonly Organisation[],
  me: Me,
  current: ReadonlySet<string>,
): { nations: RelOption[]; organisations: RelOption[] } {
  const nations = new Map<string, string>();
  const orgs = new Map<string, string>();
  for (const o of organisations) {
    if (o.nation) nations.set(o.nation, nations.get(o.nation) ?? o.nation);
    orgs.set(o.code, o.name);
  }
  if (me.nation && !nations.has(me.nation)) nations.set(me.nation, me.nation);
  if (!orgs.has(me.organisation) && !nations.has(me.organisation)) orgs.set(me.organisation, me.organisation);
  for (const code of current) {
    if (code === RELEASABLE_TO_ALL || nations.has(code) || orgs.has(code)) continue;
    // An unknown three-letter code is most likely a nation; anything else an organisation.
    if (/^[A-Z]{3}$/.test(code)) nations.set(code, code);
    else orgs.set(code, code);
  }
  const list = (m: Map<string, string>) =>
    [...m.entries()].sort(([a], [b]) => byUsaThenAlpha(a, b)).map(([code, title]) => ({ code, title }));
  return { nations: list(nations), organisations: list(orgs) };
}
