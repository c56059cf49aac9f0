import { type Static, Type } from 'typebox';
import { type Marking, MarkingSchema, PRINCIPAL_PATTERN } from './marking.js';
import { hasPermission } from './roles.js';

/** Humanitarian facilities: the static sites aid reaches and that must not be struck. */

export const FACILITIES_LAYER = 'facilities';

export const FACILITY_KINDS = [
  'warehouse',
  'distribution-point',
  'clinic',
  'hospital',
  'shelter',
  'bakery',
  'water-point',
] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

export const FACILITY_STATUSES = [
  'operational',
  'partially-operational',
  'not-operational',
  'damaged',
] as const;
export type FacilityStatus = (typeof FACILITY_STATUSES)[number];

/**
 * Humanitarian organisations and the centre's coordinators keep the facilities; the marking rule
 * (write only what one could read) comes on top. The server enforces it, the web offers only this.
 */
export function mayKeepFacilities(roles: readonly string[]): boolean {
  return hasPermission(roles, 'aid:notify') || hasPermission(roles, 'aid:coordinate');
}

export const FacilityInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Enum(FACILITY_KINDS),
    /** The operating organisation's code (OCHA, WFP, MEDRELIEF …). */
    operator: Type.String({ pattern: PRINCIPAL_PATTERN }),
    /** GeoJSON Point, WGS84. */
    location: Type.Object({
      type: Type.Literal('Point'),
      coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 3 }),
    }),
    status: Type.Enum(FACILITY_STATUSES),
    notes: Type.Optional(Type.String({ maxLength: 4000 })),
    marking: MarkingSchema,
  },
  { additionalProperties: false },
);
export type FacilityInput = Static<typeof FacilityInputSchema>;

export interface FacilityFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: {
    id: string;
    name: string;
    kind: FacilityKind;
    operator: string;
    status: FacilityStatus;
    notes: string | null;
    updatedAt: string;
    version: number;
    marking: Marking;
    markingText: string;
  };
}
