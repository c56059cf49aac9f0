import {
  type FacilityFeature,
  type FacilityInput,
  type FacilityKind,
  type FacilityStatus,
  mayKeepFacilities,
} from '../../../domain/facilities';
import { canWrite, formatMarking, PRINCIPAL_PATTERN } from '../../../domain/marking';
import type { Me } from '../../app/auth';
import { t } from '../../i18n/t';
import { draftPosition } from '../incidents/reportDraft';
import {
  defaultMarkingDraft,
  draftFromMarking,
  isClassification,
  type MarkingDraft,
  markingFromDraft,
} from '../zones/editing/markingDraft';
import type { FacilityChanges } from './facilitiesApi';

const OPERATOR = new RegExp(PRINCIPAL_PATTERN);

/** The facility form's values as typed. */
export interface FacilityDraft {
  name: string;
  kind: FacilityKind;
  operator: string;
  status: FacilityStatus;
  lat: string;
  lon: string;
  notes: string;
  marking: MarkingDraft;
}

/**
 * Operated by the recorder's organisation and released to all: a facility is recorded so that
 * every party's military knows where it is and spares it.
 */
export function defaultFacilityDraft(me: Me): FacilityDraft {
  const base = defaultMarkingDraft(me);
  return {
    name: '',
    kind: 'distribution-point',
    operator: me.organisation,
    status: 'operational',
    lat: '',
    lon: '',
    notes: '',
    marking: { ...base, selected: new Set([...base.selected, 'ALL']) },
  };
}

export function draftFromFacility(f: FacilityFeature): FacilityDraft {
  const p = f.properties;
  const [lon, lat] = f.geometry.coordinates;
  return {
    name: p.name,
    kind: p.kind,
    operator: p.operator,
    status: p.status,
    lat: String(lat),
    lon: String(lon),
    notes: p.notes ?? '',
    marking: draftFromMarking(p.marking),
  };
}

/** The input the server takes, or what is missing or wrong in words. The server checks the rest. */
export function facilityInput(d: FacilityDraft): { input: FacilityInput } | { problem: string } {
  const name = d.name.trim();
  if (!name) return { problem: t('facility.form.needName') };
  const operator = d.operator.trim().toUpperCase();
  if (!operator) return { problem: t('facility.form.needOperator') };
  // Said here in words: the server's refusal would only quote the pattern.
  if (!OPERATOR.test(operator)) return { problem: t('facility.form.badOperator', { operator }) };
  const position = draftPosition(d);
  if (!position) return { problem: t('facility.form.needPosition') };
  const notes = d.notes.trim();
  return {
    input: {
      name,
      kind: d.kind,
      operator,
      location: { type: 'Point', coordinates: position },
      status: d.status,
      ...(notes ? { notes } : {}),
      marking: markingFromDraft(d.marking),
    },
  };
}

/**
 * What the draft changes in the facility as it was when the form opened: only those fields are
 * sent, so that the change recorded is the one made. Nothing changed is a problem, not a save.
 */
export function facilityChanges(
  f: FacilityFeature,
  d: FacilityDraft,
): { input: FacilityChanges } | { problem: string } {
  const built = facilityInput(d);
  if ('problem' in built) return built;
  const i = built.input;
  const p = f.properties;
  const [lon, lat] = f.geometry.coordinates;
  const changes: FacilityChanges = {};
  if (i.name !== p.name) changes.name = i.name;
  if (i.kind !== p.kind) changes.kind = i.kind;
  if (i.operator !== p.operator) changes.operator = i.operator;
  if (i.status !== p.status) changes.status = i.status;
  // An empty string clears the notes; leaving them out would keep the old ones.
  if ((i.notes ?? '') !== (p.notes ?? '')) changes.notes = i.notes ?? '';
  if (i.location.coordinates[0] !== lon || i.location.coordinates[1] !== lat) changes.location = i.location;
  if (formatMarking(i.marking) !== formatMarking(p.marking)) changes.marking = i.marking;
  return Object.keys(changes).length ? { input: changes } : { problem: t('facility.form.unchanged') };
}

/** The server's rule, so that Edit is offered only to whom the change would be accepted from. */
export function mayEditFacility(me: Me, f: FacilityFeature): boolean {
  return (
    mayKeepFacilities(me.roles) &&
    isClassification(me.clearance) &&
    canWrite(
      { clearance: me.clearance, principals: me.principals, caveats: me.caveats },
      f.properties.marking,
    )
  );
}
