import { sql } from 'kysely';
import { TERMINAL_CONSIGNMENT_STATES } from '../../../domain/consignments.js';
import type { Tx } from '../../db/database.js';
import type { MarkingColumns } from '../../db/marking-columns.js';

/** What drops out of the funnel's scope once registered before the window. */
const TERMINAL_STATES = [...TERMINAL_CONSIGNMENT_STATES];

/** Consignments screened in [from, to): what throughput and tonnes by category count. */
const screened = (from: Date, to: Date) => sql`
  SELECT c.id, c.tonnes, c.classification, c.releasable_to, c.caveats
  FROM consignment_actions a JOIN consignments c ON c.id = a.consignment_id
  WHERE a.to_state = 'screened' AND a.at >= ${from} AND a.at < ${to}`;

/** The funnel's consignments: registered since `from`, or older and still under way. */
const inScope = (from: Date) => sql`
  SELECT id, state, trucks, tonnes, classification, releasable_to, caveats FROM consignments
  WHERE created_at >= ${from} OR NOT (state = ANY(${TERMINAL_STATES}::text[]))`;

/** The same rule as isOverdue() in domain/deconfliction.ts: answerable (transmitted, acknowledged) and past due. */
const OVERDUE = sql`FROM aid_notifications
  WHERE state IN ('transmitted', 'acknowledged') AND answer_due_at IS NOT NULL AND answer_due_at < now()`;

export const dashboardStore = {
  /**
   * Tonnes of the consignments screened in the window by item category: a consignment's tonnes are
   * shared among its items in proportion to their quantities when they share a unit, else equally.
   */
  async tonnesByCategory(tx: Tx, from: Date, to: Date): Promise<{ category: string; tonnes: number }[]> {
    const r = await sql<{ category: string; tonnes: number }>`
      WITH s AS (${screened(from, to)})
      SELECT i.category, sum(s.tonnes * CASE WHEN u.units = 1 AND u.total > 0 THEN i.quantity / u.total
        ELSE 1.0 / u.n END)::float8 AS tonnes
      FROM s JOIN consignment_items i ON i.consignment_id = s.id
      JOIN LATERAL (SELECT count(DISTINCT j.unit) AS units, sum(j.quantity) AS total, count(*) AS n
        FROM consignment_items j WHERE j.consignment_id = s.id) u ON true
      GROUP BY i.category`.execute(tx);
    return r.rows;
  },

  /** Consignments in scope by current state. */
  async byState(tx: Tx, from: Date): Promise<{ state: string; n: number; trucks: number; tonnes: number }[]> {
    const r = await sql<{ state: string; n: number; trucks: number; tonnes: number }>`
      WITH s AS (${inScope(from)})
      SELECT state, count(*)::int AS n, sum(trucks)::int AS trucks, sum(tonnes)::float8 AS tonnes
      FROM s GROUP BY state`.execute(tx);
    return r.rows;
  },

  /** Consignments in scope that were ever in each state (the funnel's "reached"). */
  async reached(tx: Tx, from: Date): Promise<{ state: string; n: number }[]> {
    const r = await sql<{ state: string; n: number }>`
      WITH s AS (${inScope(from)})
      SELECT a.to_state AS state, count(DISTINCT a.consignment_id)::int AS n
      FROM consignment_actions a JOIN s ON s.id = a.consignment_id GROUP BY a.to_state`.execute(tx);
    return r.rows;
  },

  async overdue(tx: Tx): Promise<{ n: number; oldest: Date | null }> {
    const r = await sql<{ n: number; oldest: Date | null }>`
      SELECT count(*)::int AS n, min(answer_due_at) AS oldest ${OVERDUE}`.execute(tx);
    return r.rows[0] ?? { n: 0, oldest: null };
  },

  /** The distinct markings of everything the dashboard counts. */
  async markings(tx: Tx, from: Date, to: Date, scopeFrom: Date): Promise<MarkingColumns[]> {
    const r = await sql<MarkingColumns>`
      SELECT classification, releasable_to, caveats FROM (${screened(from, to)}) s
      UNION SELECT classification, releasable_to, caveats FROM (${inScope(scopeFrom)}) f
      UNION SELECT classification, releasable_to, caveats ${OVERDUE}`.execute(tx);
    return r.rows;
  },
};
