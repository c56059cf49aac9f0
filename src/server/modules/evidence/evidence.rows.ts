import type { CustodyEntry, EvidenceItem } from '../../../domain/evidence.js';
import { formatMarking } from '../../../domain/marking.js';
import { columnsToMarking } from '../../db/marking-columns.js';
import type { CustodyRow, EvidenceRow } from './evidence.store.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toCustodyEntry(r: CustodyRow): CustodyEntry {
  const marking = columnsToMarking(r);
  return {
    id: r.id,
    evidenceId: r.evidence_id,
    action: r.action,
    at: r.at.toISOString(),
    actor: r.actor ? { username: r.actor, displayName: r.actor_name ?? r.actor } : null,
    holder: r.holder,
    note: r.note,
    sha256: r.sha256,
    marking,
    markingText: formatMarking(marking),
  };
}

export function toEvidenceItem(r: EvidenceRow, last: CustodyRow | undefined): EvidenceItem {
  const marking = columnsToMarking(r);
  return {
    id: r.id,
    incidentId: r.incident_id,
    kind: r.kind,
    sha256: r.sha256,
    filename: r.filename,
    mediaType: r.media_type,
    size: r.size_bytes === null ? null : Number(r.size_bytes),
    description: r.description,
    trackUid: r.track_uid,
    from: iso(r.segment_from),
    to: iso(r.segment_to),
    alertId: r.alert_id,
    addedBy: r.added_by ? { username: r.added_by, displayName: r.added_by_name ?? r.added_by } : null,
    addedAt: r.added_at.toISOString(),
    marking,
    markingText: formatMarking(marking),
    custodyCount: Number(r.custody_count),
    lastCustody: last ? toCustodyEntry(last) : null,
  };
}
