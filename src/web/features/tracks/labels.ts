import { t } from '../../i18n/t';
import type { Affiliation, TrackKind } from './types';

export function trackKindLabel(kind: TrackKind): string {
  return t(`trackKind.${kind}`);
}

export function affiliationLabel(affiliation: Affiliation): string {
  return t(`affiliation.${affiliation}`);
}
