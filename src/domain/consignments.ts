import { type Static, Type } from 'typebox';
import { MarkingSchema } from './marking.js';

/** Consignments of aid and the convoys that carry them, from registration to delivery. */

export const CONVOYS_LAYER = 'convoys';

export const ITEM_CATEGORIES = [
  'food',
  'water',
  'health',
  'shelter',
  'fuel',
  'wash',
  'education',
  'other',
] as const;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];

export const CONSIGNMENT_STATES = [
  'registered',
  'cleared',
  'partially-cleared',
  'rejected',
  'dispatched',
  'queued-at-crossing',
  'screened',
  'offloaded',
  'collected',
  'in-transit',
  'delivered',
  'partially-received',
  'intercepted',
  'returned',
] as const;
export type ConsignmentState = (typeof CONSIGNMENT_STATES)[number];

/** The pipeline in order, for the dashboard's funnel (terminal outcomes after). */
export const PIPELINE: readonly ConsignmentState[] = [
  'registered',
  'cleared',
  'dispatched',
  'queued-at-crossing',
  'screened',
  'offloaded',
  'collected',
  'in-transit',
  'delivered',
];

/** Allowed next states; a reason is required where the outcome is not the plan. */
export const CONSIGNMENT_TRANSITIONS: Record<ConsignmentState, readonly ConsignmentState[]> = {
  registered: ['cleared', 'partially-cleared', 'rejected'],
  cleared: ['dispatched'],
  'partially-cleared': ['dispatched'],
  rejected: [],
  dispatched: ['queued-at-crossing', 'returned'],
  'queued-at-crossing': ['screened', 'returned'],
  screened: ['offloaded', 'returned'],
  offloaded: ['collected'],
  collected: ['in-transit'],
  'in-transit': ['delivered', 'partially-received', 'intercepted'],
  delivered: [],
  'partially-received': [],
  intercepted: [],
  returned: [],
};

export const STATES_NEEDING_REASON: readonly ConsignmentState[] = [
  'partially-cleared',
  'rejected',
  'partially-received',
  'intercepted',
  'returned',
];

export function canMoveConsignment(from: ConsignmentState, to: ConsignmentState): boolean {
  return CONSIGNMENT_TRANSITIONS[from].includes(to);
}

export const ConsignmentItemSchema = Type.Object(
  {
    category: Type.Enum(ITEM_CATEGORIES),
    description: Type.String({ minLength: 1, maxLength: 200 }),
    quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1e9 }),
    unit: Type.String({ minLength: 1, maxLength: 30 }),
    dualUse: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ConsignmentItem = Static<typeof ConsignmentItemSchema>;

export const ConsignmentInputSchema = Type.Object(
  {
    /** The requesting organisation's code; defaults to the user's. */
    requestingOrganisation: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9-]{1,23}$' })),
    donor: Type.Optional(Type.String({ maxLength: 200 })),
    corridor: Type.Optional(Type.String({ maxLength: 200 })),
    crossingId: Type.String({ format: 'uuid' }),
    items: Type.Array(ConsignmentItemSchema, { minItems: 1, maxItems: 200 }),
    pallets: Type.Integer({ minimum: 0, maximum: 100_000 }),
    tonnes: Type.Number({ minimum: 0, maximum: 100_000 }),
    trucks: Type.Integer({ minimum: 0, maximum: 10_000 }),
    reference: Type.Optional(Type.String({ maxLength: 100 })),
    marking: MarkingSchema,
  },
  { additionalProperties: false },
);
export type ConsignmentInput = Static<typeof ConsignmentInputSchema>;

export const ConvoyInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    consignmentIds: Type.Array(Type.String({ format: 'uuid' }), { maxItems: 500 }),
    /** The notified movement it travels under. */
    notificationId: Type.Optional(Type.String({ format: 'uuid' })),
    /** The live track that follows it. */
    trackUid: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._:-]{1,100}$' })),
    marking: MarkingSchema,
  },
  { additionalProperties: false },
);
export type ConvoyInput = Static<typeof ConvoyInputSchema>;

/** States a consignment never leaves: the outcomes. */
export const TERMINAL_CONSIGNMENT_STATES: readonly ConsignmentState[] = CONSIGNMENT_STATES.filter(
  (s) => CONSIGNMENT_TRANSITIONS[s].length === 0,
);

/** States that still lie ahead of the crossing: a closure or restriction there affects them. */
export const STATES_BEFORE_CROSSING: readonly ConsignmentState[] = [
  'registered',
  'cleared',
  'partially-cleared',
  'dispatched',
  'queued-at-crossing',
];

/**
 * Who moves a consignment into each state: the `centre` (aid:coordinate) clears, rejects, screens
 * and offloads; the requesting organisation (aid:notify, its own consignments) or the centre
 * reports the rest of the journey.
 */
export const CONSIGNMENT_MOVERS: Record<ConsignmentState, 'centre' | 'owner-or-centre'> = {
  registered: 'centre',
  cleared: 'centre',
  'partially-cleared': 'centre',
  rejected: 'centre',
  dispatched: 'owner-or-centre',
  'queued-at-crossing': 'owner-or-centre',
  screened: 'centre',
  offloaded: 'centre',
  collected: 'owner-or-centre',
  'in-transit': 'owner-or-centre',
  delivered: 'owner-or-centre',
  'partially-received': 'owner-or-centre',
  intercepted: 'owner-or-centre',
  returned: 'owner-or-centre',
};

export interface ConsignmentMover {
  /** Holds aid:coordinate. */
  centre: boolean;
  /** Holds aid:notify and belongs to the requesting organisation. */
  owner: boolean;
}

export function mayMoveConsignmentTo(to: ConsignmentState, who: ConsignmentMover): boolean {
  return who.centre || (CONSIGNMENT_MOVERS[to] === 'owner-or-centre' && who.owner);
}

/** The next states this actor may move a consignment in `from` to, in the machine's order. */
export function allowedConsignmentMoves(from: ConsignmentState, who: ConsignmentMover): ConsignmentState[] {
  return CONSIGNMENT_TRANSITIONS[from].filter((to) => mayMoveConsignmentTo(to, who));
}

export const CONSIGNMENTS_LAYER = 'consignments';

/** Changes to a convoy: its name, its consignments (the whole new set), its movement and track. */
export const ConvoyUpdateSchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    consignmentIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 500 })),
    notificationId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    trackUid: Type.Optional(Type.Union([Type.String({ pattern: '^[A-Za-z0-9._:-]{1,100}$' }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type ConvoyUpdate = Static<typeof ConvoyUpdateSchema>;
