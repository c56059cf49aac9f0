import type { Geometry, GeometryType } from '../../../../domain/geometry';
import { ZONE_GEOMETRY, type ZoneFeature, type ZoneKind } from '../../../../domain/zones';
import type { Me } from '../../../app/auth';
import { writableZone, type ZoneWrite } from './editApi';
import { defaultMarkingDraft, draftFromMarking, markingFromDraft } from './markingDraft';
import { isoToUtcInput, utcInputToIso } from './time';
import type { ZoneFormValues } from './ZoneForm';

/** The geometry types a person can draw on the map (multi-part shapes come by import). */
export type DrawableType = 'Point' | 'LineString' | 'Polygon';
const DRAWABLE: readonly DrawableType[] = ['Polygon', 'LineString', 'Point'];

export function drawableTypes(kind: ZoneKind): DrawableType[] {
  return DRAWABLE.filter((g) => ZONE_GEOMETRY[kind].includes(g));
}

export function formValuesOf(zone: ZoneFeature): ZoneFormValues {
  const p = zone.properties;
  return {
    name: p.name,
    kind: p.kind,
    description: p.description ?? '',
    // Only a start still to come is shown: a past one would rewrite history if sent again.
    validFrom: Date.parse(p.validFrom) > Date.now() ? isoToUtcInput(p.validFrom) : '',
    validTo: isoToUtcInput(p.validTo),
    marking: draftFromMarking(p.marking),
  };
}

export function newZoneValues(me: Me, kind: ZoneKind): ZoneFormValues {
  return {
    name: '',
    kind,
    description: '',
    validFrom: '',
    validTo: '',
    marking: defaultMarkingDraft(me),
  };
}

export function toWrite(values: ZoneFormValues, geometry: Geometry, base?: ZoneFeature): ZoneWrite {
  const out: ZoneWrite = {
    ...(base ? { properties: writableZone(base).properties } : {}),
    name: values.name.trim(),
    kind: values.kind,
    geometry,
    marking: markingFromDraft(values.marking),
  };
  const from = utcInputToIso(values.validFrom);
  const to = utcInputToIso(values.validTo);
  if (from) out.validFrom = from;
  // An edit sends null to clear an end; a new zone simply has none.
  if (to) out.validTo = to;
  else if (base) out.validTo = null;
  if (values.description.trim()) out.description = values.description.trim();
  if (!out.properties) delete out.properties;
  return out;
}

/** What kind of geometry a zone has, for the form's list of compatible kinds. */
export function geometryTypeOf(g: unknown): GeometryType {
  const type = (g as { type?: unknown } | null)?.type;
  return type === 'Point' ||
    type === 'LineString' ||
    type === 'MultiLineString' ||
    type === 'Polygon' ||
    type === 'MultiPolygon'
    ? type
    : 'Polygon';
}
