import { type Static, Type } from 'typebox';
import {
  aggregateMarking,
  canWrite,
  formatMarking,
  type Marking,
  MarkingSchema,
} from '../../../domain/marking.js';
import {
  COUNT_UNITS,
  COUNTING_RULES,
  type CountFigure,
  type CountingRule,
  type CountUnit,
  type ReconciledPair,
  type ReconciliationVerdict,
  reconcile,
} from '../../../domain/reconciliation.js';
import { hasPermission } from '../../../domain/roles.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db } from '../../db/database.js';
import { columnsToMarking, markingToColumns } from '../../db/marking-columns.js';
import { Problem, problems } from '../../platform/errors.js';
import { type CountRow, countsStore as store } from './counts.store.js';
import { DAY_MS, dayOf, lastDays } from './crossings.service.js';
import { crossingsStore } from './crossings.store.js';

const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'A UTC day, YYYY-MM-DD.' });

export const CountsInputSchema = Type.Object(
  {
    day: Day,
    figures: Type.Array(
      Type.Object(
        {
          source: Type.String({
            minLength: 1,
            maxLength: 100,
            description: 'Who counted, e.g. CLA, UN2720, WFP.',
          }),
          rule: Type.Enum(COUNTING_RULES),
          scope: Type.String({ minLength: 1, maxLength: 200 }),
          unit: Type.Enum(COUNT_UNITS),
          value: Type.Number({ minimum: 0, maximum: 1e9 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    marking: MarkingSchema,
  },
  { additionalProperties: false },
);
export type CountsInput = Static<typeof CountsInputSchema>;
export { Day as DaySchema };

export type Figure = CountFigure & { enteredBy: string | null; enteredAt: string; marking: Marking };

export interface ReconciledDay {
  day: string;
  crossing: { id: string; name: string };
  figures: Figure[];
  verdict: ReconciliationVerdict;
  pairs: ReconciledPair[];
  marking: Marking;
  markingText: string;
}

const toFigure = (r: CountRow): Figure => ({
  source: r.source,
  rule: r.rule as CountingRule,
  scope: r.scope,
  unit: r.unit as CountUnit,
  value: r.value,
  enteredBy: r.entered_by,
  enteredAt: r.entered_at.toISOString(),
  marking: columnsToMarking(r),
});

/** Groups figures by day and crossing and reconciles each group. */
export function reconcileRows(rows: readonly CountRow[]): ReconciledDay[] {
  const groups = new Map<string, CountRow[]>();
  for (const r of rows) {
    const k = `${r.day}|${r.crossing_id}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.values()].map((g) => {
    const figures = g.map(toFigure);
    const { verdict, pairs } = reconcile(
      figures.map(({ source, rule, scope, unit, value }) => ({ source, rule, scope, unit, value })),
    );
    const marking = aggregateMarking(figures.map((f) => f.marking));
    return {
      day: g[0]!.day,
      crossing: { id: g[0]!.crossing_id, name: g[0]!.crossing_name },
      figures,
      verdict,
      pairs,
      marking,
      markingText: formatMarking(marking),
    };
  });
}

function validDay(s: string, field: string): string {
  const d = new Date(`${s}T00:00:00.000Z`);
  if (Number.isNaN(d.getTime()) || dayOf(d) !== s)
    throw problems.badRequest(`${field} is not a day: ${s}`, { field });
  return s;
}

export function countsService(db: Db) {
  async function reconciliation(viewer: Viewer, q: { from?: string; to?: string; crossingId?: string }) {
    const to = q.to ? validDay(q.to, 'to') : dayOf(new Date());
    const from = q.from ? validDay(q.from, 'from') : lastDays(new Date(`${to}T00:00:00.000Z`), 7)[0]!;
    if (from > to) throw problems.badRequest('from must not be after to.');
    if (new Date(to).getTime() - new Date(from).getTime() > 366 * DAY_MS)
      throw problems.badRequest('Ask for at most a year at a time.');
    const rows = await db.asViewer(viewer, (tx) => store.list(tx, from, to, q.crossingId));
    const days = reconcileRows(rows);
    const marking = aggregateMarking(days.map((d) => d.marking));
    return { from, to, days, marking, markingText: formatMarking(marking) };
  }

  return {
    reconciliation,

    /**
     * Enters figures for one day at one crossing: the centre enters any source; a humanitarian
     * organisation only its own (the source is its organisation code). Returns that day's
     * reconciliation as the viewer sees it.
     */
    async put(viewer: Viewer, crossingId: string, input: CountsInput) {
      const centre = hasPermission(viewer.roles, 'aid:coordinate');
      if (!centre && !hasPermission(viewer.roles, 'aid:notify'))
        throw problems.forbidden('Only the coordination centre and humanitarian organisations enter counts.');
      if (!centre) {
        const other = input.figures.find((f) => f.source !== viewer.organisationCode);
        if (other)
          throw problems.forbidden(
            `You enter figures of your own organisation only: source must be ${viewer.organisationCode}, not ${other.source}.`,
          );
      }
      const day = validDay(input.day, 'day');
      if (day > dayOf(new Date(Date.now() + DAY_MS)))
        throw problems.badRequest(`${day} is in the future.`, { field: 'day' });
      if (!canWrite(viewer, input.marking))
        throw problems.forbidden(
          `You may only write records at or below your clearance and released to you; ${formatMarking(input.marking)} is not.`,
        );
      const keys = new Set(input.figures.map((f) => `${f.source}|${f.rule}|${f.scope}|${f.unit}`));
      if (keys.size !== input.figures.length)
        throw problems.badRequest('Each source, rule, scope and unit appears once per day.');
      await db.asViewer(viewer, async (tx) => {
        if (!(await crossingsStore.get(tx, crossingId))) throw problems.notFound(`Crossing ${crossingId}`);
        try {
          await store.upsert(
            tx,
            input.figures.map((f) => ({
              crossing_id: crossingId,
              day,
              ...f,
              entered_by: viewer.userId,
              ...markingToColumns(input.marking),
            })),
          );
        } catch (e) {
          // A figure already stored under a marking the viewer may not see cannot be replaced by them.
          if ((e as { code?: string }).code === '42501')
            throw new Problem(
              409,
              'conflict',
              'Conflict',
              'A figure for this source, rule, scope and unit is stored under a marking you may not see.',
            );
          throw e;
        }
      });
      const r = await reconciliation(viewer, { from: day, to: day, crossingId });
      return (
        r.days[0] ?? {
          day,
          crossing: { id: crossingId, name: '' },
          figures: [],
          verdict: 'single-source',
          pairs: [],
          marking: r.marking,
          markingText: r.markingText,
        }
      );
    },
  };
}
export type CountsService = ReturnType<typeof countsService>;
