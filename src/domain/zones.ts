import { type Static, Type } from 'typebox';
import { MAX_ALERT_RULES } from './alert-rules.js';
import { type AlertRule, AlertRuleSchema } from './alerts.js';
import type { GeometryType } from './geometry.js';
import { MarkingSchema } from './marking.js';

export const ZONE_KINDS = [
  'ceasefire-line',
  'withdrawal-line',
  'buffer-zone',
  'humanitarian-zone',
  'crossing',
  'facility-area',
  'sector',
  'named-area-of-interest',
  'restricted-area',
] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

/** Which geometry each kind of zone may have: lines are lines, areas are areas, crossings are points or areas. */
export const ZONE_GEOMETRY: Record<ZoneKind, readonly GeometryType[]> = {
  'ceasefire-line': ['LineString', 'MultiLineString'],
  'withdrawal-line': ['LineString', 'MultiLineString'],
  'buffer-zone': ['Polygon', 'MultiPolygon'],
  'humanitarian-zone': ['Polygon', 'MultiPolygon'],
  crossing: ['Point', 'Polygon'],
  'facility-area': ['Point', 'Polygon', 'MultiPolygon'],
  sector: ['Polygon', 'MultiPolygon'],
  'named-area-of-interest': ['Point', 'Polygon', 'MultiPolygon'],
  'restricted-area': ['Polygon', 'MultiPolygon'],
};

const Iso = Type.String({ format: 'date-time' });

/** What a client sends to create a zone or a new version of one. */
export const ZoneInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Enum(ZONE_KINDS),
    geometry: Type.Object({ type: Type.String(), coordinates: Type.Array(Type.Unknown()) }),
    marking: MarkingSchema,
    validFrom: Type.Optional(Iso),
    validTo: Type.Optional(Type.Union([Iso, Type.Null()])),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    properties: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    alertRules: Type.Optional(
      Type.Union([Type.Array(AlertRuleSchema, { maxItems: MAX_ALERT_RULES }), Type.Null()], {
        description:
          'Geofence alert rules of this version. null: the defaults for the kind; [] : no alerts; ' +
          'absent on an update: the rules of the version being replaced.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ZoneInput = Static<typeof ZoneInputSchema>;

/** A zone as the API returns it: a GeoJSON Feature of the version in force. */
export interface ZoneFeature {
  type: 'Feature';
  id: string;
  geometry: unknown;
  properties: {
    name: string;
    kind: ZoneKind;
    version: number;
    validFrom: string;
    validTo: string | null;
    description: string | null;
    marking: import('./marking.js').Marking;
    markingText: string;
    createdBy: string;
    createdAt: string;
    /** The rules in force for this version: its own, or the defaults of its kind. */
    alertRules: AlertRule[];
    /** True when the version has no rules of its own and follows the defaults of its kind. */
    alertRulesDefault: boolean;
    [extra: string]: unknown;
  };
}

/** The properties Concord itself manages on a zone Feature; any other property came with the zone and is kept. */
export const ZONE_OWN_PROPERTIES: ReadonlySet<string> = new Set([
  'name',
  'kind',
  'version',
  'validFrom',
  'validTo',
  'description',
  'marking',
  'markingText',
  'createdBy',
  'createdAt',
  'deleted',
  'alertRules',
  'alertRulesDefault',
]);
