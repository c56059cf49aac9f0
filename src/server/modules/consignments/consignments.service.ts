import {
  CONSIGNMENT_MOVERS,
  CONSIGNMENTS_LAYER,
  type ConsignmentInput,
  type ConsignmentState,
  canMoveConsignment,
  mayMoveConsignmentTo,
  STATES_NEEDING_REASON,
} from '../../../domain/consignments.js';
import { aggregateMarking, canWrite, formatMarking, type Marking } from '../../../domain/marking.js';
import { hasPermission } from '../../../domain/roles.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db, Tx } from '../../db/database.js';
import { assertVersion, Problem, problems } from '../../platform/errors.js';
import { recordEvents } from '../../platform/events.js';
import {
  allowedNextFor,
  type Consignment,
  type ConsignmentDetail,
  moverOf,
  toConsignment,
  toHistoryEntry,
  toNewConsignment,
} from './consignments.features.js';
import { type ConsignmentFilter, consignmentsStore as store } from './consignments.store.js';

export const MAX_LIST = 1000;
export const DEFAULT_LIST = 500;

export interface ConsignmentCollection {
  consignments: Consignment[];
  marking: Marking;
  markingText: string;
  truncated: boolean;
}

export interface ConsignmentsServiceOptions {
  /** Called in the transaction of a change to a consignment that travels in a convoy. */
  onConvoyChanged?: (tx: Tx, convoyId: string, actor: string) => Promise<void>;
}

export function writeProblem(viewer: Viewer, marking: Marking): Problem | null {
  if (canWrite(viewer, marking)) return null;
  return problems.forbidden(
    `You may only write records at or below your clearance (${viewer.clearance}) and released to your nation or organisation (${viewer.principals.join(', ')}); ${formatMarking(marking)} is not.`,
  );
}

export const consignmentEvents = (actor: string | null, list: readonly Consignment[], created: boolean) =>
  list.map((c) => ({
    actor,
    kind: 'upsert' as const,
    layer: CONSIGNMENTS_LAYER,
    entityId: c.id,
    payload: c,
    marking: c.marking,
    prevMarking: created ? null : c.marking,
  }));

export function consignmentsService(db: Db, opts: ConsignmentsServiceOptions = {}) {
  /**
   * Checks and stores registrations in the viewer's transaction: the one path for the API and
   * the HXL import (which passes its job id). Every consignment's crossing must be visible to the
   * viewer and its marking writable by them; a requesting organisation other than the viewer's
   * needs an administrator.
   */
  async function registerIn(
    tx: Tx,
    viewer: Viewer,
    inputs: readonly ConsignmentInput[],
    importJobId: string | null = null,
  ): Promise<Consignment[]> {
    if (!hasPermission(viewer.roles, 'aid:notify'))
      throw problems.forbidden('Only humanitarian organisations and administrators register consignments.');
    const crossings = await store.visibleCrossings(tx, [...new Set(inputs.map((i) => i.crossingId))]);
    const orgs = new Map<string, string>([[viewer.organisationCode, viewer.organisationId]]);
    const rows = [];
    for (const [index, input] of inputs.entries()) {
      const at = inputs.length > 1 ? { index } : {};
      const denied = writeProblem(viewer, input.marking);
      if (denied) throw denied;
      if (!crossings.has(input.crossingId))
        throw problems.badRequest(`Crossing ${input.crossingId} does not exist or is not released to you.`, {
          field: 'crossingId',
          ...at,
        });
      const code = input.requestingOrganisation ?? viewer.organisationCode;
      if (code !== viewer.organisationCode && !viewer.roles.includes('admin'))
        throw problems.forbidden(
          `You register consignments for your own organisation (${viewer.organisationCode}) only.`,
        );
      if (!orgs.has(code)) {
        const org = await store.organisationByCode(tx, code);
        if (!org)
          throw problems.badRequest(`Unknown organisation ${code}.`, {
            field: 'requestingOrganisation',
            ...at,
          });
        orgs.set(code, org.id);
      }
      rows.push(
        toNewConsignment(input, {
          id: crypto.randomUUID(),
          organisationId: orgs.get(code)!,
          createdBy: viewer.userId,
          importJobId,
        }),
      );
    }
    await store.insertMany(tx, rows);
    const stored = (
      await store.getMany(
        tx,
        rows.map((r) => r.id),
      )
    ).map(toConsignment);
    await recordEvents(tx, consignmentEvents(viewer.userId, stored, true));
    return stored;
  }

  async function get(viewer: Viewer, id: string): Promise<ConsignmentDetail> {
    const found = await db.asViewer(viewer, async (tx) => {
      const row = await store.get(tx, id);
      return row ? { row, history: await store.history(tx, id) } : null;
    });
    if (!found) throw problems.notFound(`Consignment ${id}`);
    const c = toConsignment(found.row);
    return { ...c, history: found.history.map(toHistoryEntry), allowedNext: allowedNextFor(viewer, c) };
  }

  return {
    registerIn,

    async register(viewer: Viewer, input: ConsignmentInput): Promise<ConsignmentDetail> {
      const [c] = await db.asViewer(viewer, (tx) => registerIn(tx, viewer, [input]));
      return get(viewer, c!.id);
    },

    /** Many registrations in one transaction (all or none). */
    registerMany(viewer: Viewer, inputs: readonly ConsignmentInput[], importJobId: string | null = null) {
      return db.asViewer(viewer, (tx) => registerIn(tx, viewer, inputs, importJobId));
    },

    async list(
      viewer: Viewer,
      f: Omit<ConsignmentFilter, 'limit'> & { limit?: number },
    ): Promise<ConsignmentCollection> {
      const limit = Math.min(f.limit ?? DEFAULT_LIST, MAX_LIST);
      const rows = await db.asViewer(viewer, (tx) => store.list(tx, { ...f, limit: limit + 1 }));
      const consignments = rows.slice(0, limit).map(toConsignment);
      const marking = aggregateMarking(consignments.map((c) => c.marking));
      return { consignments, marking, markingText: formatMarking(marking), truncated: rows.length > limit };
    },

    get,

    /**
     * Moves a consignment along its machine as the viewer: locked (hidden is missing), version,
     * transition, actor and reason checked, moved, its history extended and events written in one
     * transaction.
     */
    async move(
      viewer: Viewer,
      id: string,
      m: { to: ConsignmentState; version: number; reason?: string },
    ): Promise<ConsignmentDetail> {
      const reason = m.reason?.trim() || null;
      await db.asViewer(viewer, async (tx) => {
        const c = await store.lock(tx, id);
        if (!c) throw problems.notFound(`Consignment ${id}`);
        assertVersion(`Consignment ${id}`, c.version, m.version, { state: c.state });
        if (!canMoveConsignment(c.state, m.to))
          throw new Problem(
            409,
            'invalid-transition',
            'Not possible in this state',
            `A consignment that is ${c.state} cannot become ${m.to}.`,
            { currentVersion: c.version, state: c.state },
          );
        if (!mayMoveConsignmentTo(m.to, moverOf(viewer, c.requesting_organisation_id)))
          throw problems.forbidden(
            CONSIGNMENT_MOVERS[m.to] === 'centre'
              ? `Only the coordination centre (aid:coordinate) moves a consignment to ${m.to}.`
              : `Only the requesting organisation or the coordination centre moves a consignment to ${m.to}.`,
          );
        if (STATES_NEEDING_REASON.includes(m.to) && !reason)
          throw new Problem(
            400,
            'reason-required',
            'Reason required',
            `Say why the consignment is ${m.to}.`,
            {
              field: 'reason',
            },
          );
        await store.move(tx, c, { to: m.to, reason, actor: viewer.userId });
        const after = toConsignment((await store.get(tx, id))!);
        await recordEvents(tx, consignmentEvents(viewer.userId, [after], false));
        if (c.convoy_id) await opts.onConvoyChanged?.(tx, c.convoy_id, viewer.userId);
      });
      return get(viewer, id);
    },
  };
}
export type ConsignmentsService = ReturnType<typeof consignmentsService>;
