import { type Static, Type } from 'typebox';

/** Crossings: where aid enters; open, restricted or closed, with their daily throughput against target. */

export const CROSSING_STATUSES = ['open', 'restricted', 'closed'] as const;
export type CrossingStatus = (typeof CROSSING_STATUSES)[number];

/** The overall daily target of trucks across all crossings (configurable per crossing too). */
export const DEFAULT_DAILY_TRUCK_TARGET = 600;

const HourMinute = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });

export const CrossingStatusInputSchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    status: Type.Enum(CROSSING_STATUSES),
    /** Required when restricted or closed. */
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    /** Planned opening hours, local time. */
    opensAt: Type.Optional(HourMinute),
    closesAt: Type.Optional(HourMinute),
    /** Until when a closure or restriction is expected to last. */
    until: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type CrossingStatusInput = Static<typeof CrossingStatusInputSchema>;

/** One day's throughput at one crossing. */
export interface Throughput {
  day: string;
  trucks: number;
  tonnes: number;
  pallets: number;
  targetTrucks: number;
}

export const CROSSINGS_LAYER = 'crossings';
/** Notices to the owners of consignments a crossing's closure or restriction affects. */
export const AID_NOTICES_LAYER = 'aid-notices';
