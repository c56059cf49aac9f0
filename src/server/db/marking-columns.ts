import {
  CLASSIFICATIONS,
  type Classification,
  classificationLevel,
  type Marking,
  normaliseMarking,
} from '../../domain/marking.js';

export interface MarkingColumns {
  classification: number;
  releasable_to: string[];
  caveats: string[];
}

export function markingToColumns(m: Marking): MarkingColumns {
  const n = normaliseMarking(m);
  return {
    classification: classificationLevel(n.classification),
    releasable_to: n.releasableTo,
    caveats: n.caveats ?? [],
  };
}

export function columnsToMarking(c: MarkingColumns): Marking {
  const classification = CLASSIFICATIONS[c.classification] as Classification;
  return c.caveats.length
    ? { classification, releasableTo: c.releasable_to, caveats: c.caveats }
    : { classification, releasableTo: c.releasable_to };
}
