import { EVIDENCE_LAYER } from '../../../domain/evidence.js';
import type { Tx } from '../../db/database.js';
import { columnsToMarking } from '../../db/marking-columns.js';
import { recordEvents } from '../../platform/events.js';
import { toEvidenceItem } from './evidence.rows.js';
import { evidenceStore as store } from './evidence.store.js';

/**
 * A merged duplicate's evidence goes with its reports to the incident it duplicates, so that the
 * one incident left open holds everything known of the event. Every item moves, whoever may see
 * it (run it as the system, in the transaction that moves the reports); each keeps its own marking
 * and gets a `transferred` custody entry under it, by the actor, naming both incidents, so that its
 * chain of custody shows how it came to the other incident. Returns how many items moved.
 */
export async function moveEvidenceOnMerge(
  tx: Tx,
  merge: { from: string; to: string; actor: string; note: string },
): Promise<number> {
  const moved = await store.moveAll(tx, merge.from, merge.to);
  if (moved.length === 0) return 0;
  for (const m of moved)
    await store.addCustody(tx, {
      evidenceId: m.id,
      action: 'transferred',
      actor: merge.actor,
      note: merge.note,
      classification: m.classification,
      releasable_to: m.releasable_to,
      caveats: m.caveats,
    });
  const ids = moved.map((m) => m.id);
  const last = new Map((await store.lastCustody(tx, ids)).map((c) => [c.evidence_id, c]));
  await recordEvents(
    tx,
    (await store.getMany(tx, ids)).map((row) => {
      const marking = columnsToMarking(row);
      return {
        actor: merge.actor,
        kind: 'upsert' as const,
        layer: EVIDENCE_LAYER,
        entityId: row.id,
        payload: toEvidenceItem(row, last.get(row.id)),
        marking,
        prevMarking: marking,
      };
    }),
  );
  return moved.length;
}
