import {
  allowedConsignmentMoves,
  type ConsignmentInput,
  type ConsignmentState,
  type ItemCategory,
} from '../../../domain/consignments.js';
import { formatMarking, type Marking } from '../../../domain/marking.js';
import { hasPermission } from '../../../domain/roles.js';
import type { Viewer } from '../../../domain/viewer.js';
import { columnsToMarking, markingToColumns } from '../../db/marking-columns.js';
import type { ConsignmentActionRow, ConsignmentRow, NewConsignment } from './consignments.store.js';

/** Rows to the wire and input to rows: no I/O here. */

export interface Consignment {
  id: string;
  number: string;
  reference: string | null;
  requestingOrganisation: { id: string; code: string; name: string };
  donor: string | null;
  corridor: string | null;
  crossing: { id: string; name: string | null };
  pallets: number;
  tonnes: number;
  trucks: number;
  state: ConsignmentState;
  stateReason: string | null;
  stateAt: string;
  convoyId: string | null;
  importJobId: string | null;
  items: { category: ItemCategory; description: string; quantity: number; unit: string; dualUse: boolean }[];
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  marking: Marking;
  markingText: string;
}

export interface ConsignmentHistoryEntry {
  from: ConsignmentState | null;
  to: ConsignmentState;
  reason: string | null;
  actor: string | null;
  at: string;
  version: number;
}

export type ConsignmentDetail = Consignment & {
  history: ConsignmentHistoryEntry[];
  /** The states this viewer may move it to now: what the UI offers. */
  allowedNext: ConsignmentState[];
};

export function toConsignment(r: ConsignmentRow): Consignment {
  const marking = columnsToMarking(r);
  return {
    id: r.id,
    number: r.number,
    reference: r.reference,
    requestingOrganisation: {
      id: r.requesting_organisation_id,
      code: r.organisation_code,
      name: r.organisation_name,
    },
    donor: r.donor,
    corridor: r.corridor,
    crossing: { id: r.crossing_id, name: r.crossing_name },
    pallets: r.pallets,
    tonnes: r.tonnes,
    trucks: r.trucks,
    state: r.state,
    stateReason: r.state_reason,
    stateAt: r.state_at.toISOString(),
    convoyId: r.convoy_id,
    importJobId: r.import_job_id,
    items: r.items.map((i) => ({ ...i, category: i.category as ItemCategory })),
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
    marking,
    markingText: formatMarking(marking),
  };
}

export function toHistoryEntry(r: ConsignmentActionRow): ConsignmentHistoryEntry {
  return {
    from: r.from_state as ConsignmentState | null,
    to: r.to_state as ConsignmentState,
    reason: r.reason,
    actor: r.actor,
    at: new Date(r.at).toISOString(),
    version: r.version,
  };
}

/** Who the viewer is to this consignment: the centre, its requesting organisation, both or neither. */
export function moverOf(viewer: Viewer, requestingOrganisationId: string) {
  return {
    centre: hasPermission(viewer.roles, 'aid:coordinate'),
    owner: hasPermission(viewer.roles, 'aid:notify') && viewer.organisationId === requestingOrganisationId,
  };
}

export function allowedNextFor(viewer: Viewer, c: Consignment): ConsignmentState[] {
  return allowedConsignmentMoves(c.state, moverOf(viewer, c.requestingOrganisation.id));
}

/** A registration as the store takes it; `at` defaults to now. */
export function toNewConsignment(
  input: ConsignmentInput,
  ids: { id: string; organisationId: string; createdBy: string | null; importJobId?: string | null },
  at = new Date(),
): NewConsignment {
  return {
    id: ids.id,
    reference: input.reference?.trim() || null,
    requesting_organisation_id: ids.organisationId,
    donor: input.donor?.trim() || null,
    corridor: input.corridor?.trim() || null,
    crossing_id: input.crossingId,
    pallets: input.pallets,
    tonnes: input.tonnes,
    trucks: input.trucks,
    import_job_id: ids.importJobId ?? null,
    created_by: ids.createdBy,
    items: input.items.map((i) => ({
      category: i.category,
      description: i.description,
      quantity: i.quantity,
      unit: i.unit,
      dual_use: i.dualUse ?? false,
    })),
    actions: [
      { from_state: null, to_state: 'registered', reason: null, actor: ids.createdBy, at: at.toISOString() },
    ],
    ...markingToColumns(input.marking),
  };
}
