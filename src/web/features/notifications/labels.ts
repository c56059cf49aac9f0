import type { NotificationAction, NotificationState } from '../../../domain/deconfliction';
import type { FacilityKind, FacilityStatus } from '../../../domain/facilities';
import { type MessageKey, t } from '../../i18n/t';

function lookup(prefix: string, code: string): string {
  const text = t(`${prefix}.${code}` as MessageKey);
  return text === undefined ? code : text;
}

export const stateLabel = (s: NotificationState) => lookup('notifications.state', s);
export const actionLabel = (a: NotificationAction) => lookup('notifications.do', a);
export const facilityKindLabel = (k: FacilityKind) => lookup('facilities.kind', k);
export const facilityStatusLabel = (s: FacilityStatus) => lookup('facilities.status', s);

/** Colours of the states, on the list and the map; white text reads on all of them. */
export const STATE_COLOURS: Record<NotificationState, string> = {
  draft: '#6c757d',
  submitted: '#6741d9',
  transmitted: '#1864ab',
  acknowledged: '#0b6e7d',
  facilitated: '#2b7a3b',
  'partially-facilitated': '#8a5a00',
  denied: '#b3122f',
  postponed: '#a14a00',
  cancelled: '#495057',
  'en-route': '#0c5fb0',
  impeded: '#c2255c',
  completed: '#3d6b0c',
};

/** Facility status colours: the fill of the facility's symbol on the map and its legend. */
export const FACILITY_STATUS_COLOURS: Record<FacilityStatus, string> = {
  operational: '#2b7a3b',
  'partially-operational': '#8a6100',
  'not-operational': '#6c757d',
  damaged: '#b3122f',
};

/** A short letter per facility kind, drawn in the symbol (the colour is the status). */
export const FACILITY_GLYPHS: Record<FacilityKind, string> = {
  warehouse: 'W',
  'distribution-point': 'D',
  clinic: 'C',
  hospital: 'H',
  shelter: 'S',
  bakery: 'B',
  'water-point': 'A',
};
