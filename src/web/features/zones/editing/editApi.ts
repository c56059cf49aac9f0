import type { Geometry } from '../../../../domain/geometry';
import type { Marking } from '../../../../domain/marking';
import type { ZoneFeature, ZoneKind } from '../../../../domain/zones';
import { ZONE_OWN_PROPERTIES } from '../../../../domain/zones';
import { ApiError, api } from '../../../app/api';

/** What POST /zones takes, and PUT /zones/:id with the version being replaced. */
export interface ZoneWrite {
  name: string;
  kind: ZoneKind;
  geometry: Geometry;
  marking: Marking;
  validFrom?: string;
  validTo?: string | null;
  description?: string;
  /** Properties beyond Concord's own (from an import); kept so an edit does not drop them. */
  properties?: Record<string, unknown>;
}

export interface Organisation {
  id: string;
  code: string;
  name: string;
  kind: string;
  nation: string | null;
}

export interface ImportProblem {
  index: number;
  name?: string;
  problems: { path: string; message: string }[];
}

export interface ImportBody {
  type: 'FeatureCollection';
  features: unknown[];
  marking: Marking;
}

export interface ImportAnswer {
  valid: number;
  errors: ImportProblem[];
  created: string[];
  dryRun: boolean;
}

const zonePath = (id: string) => `/zones/${encodeURIComponent(id)}`;

export const zonesWrite = {
  create: (input: ZoneWrite) => api.post<ZoneFeature>('/zones', input),
  update: (id: string, version: number, input: ZoneWrite) =>
    api.put<ZoneFeature>(zonePath(id), { ...input, version }),
  remove: (id: string, version: number) => api.delete(`${zonePath(id)}?version=${version}`),
  get: (id: string) => api.get<ZoneFeature>(zonePath(id)),
  import: (body: ImportBody, dryRun: boolean) =>
    api.post<ImportAnswer>(`/zones/import${dryRun ? '?dryRun=true' : ''}`, body),
};

let organisations: Promise<Organisation[]> | null = null;

/** The organisations of the centre change rarely: fetched once per page, again after a failure. */
export function fetchOrganisations(): Promise<Organisation[]> {
  organisations ??= api.get<Organisation[]>('/organisations').catch((e: unknown) => {
    organisations = null;
    throw e;
  });
  return organisations;
}

export function extraProperties(zone: ZoneFeature): Record<string, unknown> {
  return Object.fromEntries(Object.entries(zone.properties).filter(([k]) => !ZONE_OWN_PROPERTIES.has(k)));
}

/** A zone as it stands, ready to send back with changes: what an edit or an undo starts from. */
export function writableZone(zone: ZoneFeature): ZoneWrite {
  const p = zone.properties;
  const now = Date.now();
  const out: ZoneWrite = {
    name: p.name,
    kind: p.kind,
    geometry: zone.geometry as Geometry,
    marking: p.marking,
    // A new version takes effect now unless the zone was planned to start later: sending the old
    // start would rewrite what was in force in the past.
    ...(Date.parse(p.validFrom) > now ? { validFrom: p.validFrom } : {}),
    validTo: p.validTo,
  };
  if (p.description) out.description = p.description;
  const extra = extraProperties(zone);
  if (Object.keys(extra).length) out.properties = extra;
  return out;
}

/** The version a 409 says the record is at now; -1 when it does not say; null for any other error. */
export function conflictVersion(e: unknown): number | null {
  if (!(e instanceof ApiError) || e.status !== 409) return null;
  const v = e.problem?.currentVersion;
  return typeof v === 'number' ? v : -1;
}
