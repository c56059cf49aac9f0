import { defaultAlertRules } from '../../../domain/alert-rules.js';
import { formatMarking } from '../../../domain/marking.js';
import type { ZoneFeature, ZoneKind } from '../../../domain/zones.js';
import { columnsToMarking } from '../../db/marking-columns.js';
import type { ZoneVersionRow } from './zones.store.js';

/** The live layer of zones: its events carry a zone version as a feature (or nothing, on delete). */
export const ZONES_LAYER = 'zones';

export function toFeature(r: ZoneVersionRow): ZoneFeature {
  const marking = columnsToMarking(r);
  return {
    type: 'Feature',
    id: r.zone_id,
    geometry: r.geometry,
    properties: {
      ...r.properties,
      name: r.name,
      kind: r.kind as ZoneKind,
      version: r.version,
      validFrom: r.valid_from.toISOString(),
      validTo: r.valid_to?.toISOString() ?? null,
      description: r.description,
      marking,
      markingText: formatMarking(marking),
      createdBy: r.created_by_name ?? 'system',
      createdAt: r.created_at.toISOString(),
      alertRules: r.alert_rules ?? defaultAlertRules(r.kind as ZoneKind),
      alertRulesDefault: r.alert_rules === null,
    },
  };
}
