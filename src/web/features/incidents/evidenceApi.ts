import type { Marking } from '../../../domain/marking';
import { api } from '../../app/api';

/**
 * Evidence as the evidence API gives it (the fields this page reads). Files are stored by their
 * SHA-256; track segments and alerts are linked.
 */
export interface EvidenceActor {
  username: string;
  displayName: string;
}

export interface CustodyEntry {
  id: string;
  action: string;
  at: string;
  actor: EvidenceActor | null;
  holder: string | null;
  note: string | null;
  sha256: string | null;
}

export interface EvidenceItem {
  id: string;
  kind: 'file' | 'track-segment' | 'alert';
  sha256: string | null;
  filename: string | null;
  mediaType: string | null;
  size: number | null;
  description: string | null;
  trackUid: string | null;
  from: string | null;
  to: string | null;
  alertId: string | null;
  addedBy: EvidenceActor | null;
  addedAt: string;
  marking: Marking;
  markingText: string;
  custodyCount: number;
}

export interface EvidenceSuggestion {
  uid: string;
  callsign: string | null;
  kind: string | null;
  closestDistanceM: number;
  closestAt: string;
  footprintCovers: boolean;
  from: string;
  to: string;
  markingText: string;
}

const incident = (id: string) => `/incidents/${encodeURIComponent(id)}/evidence`;
const item = (id: string) => `/evidence/${encodeURIComponent(id)}`;

/** Lists may come bare or wrapped (`{ items }`, `{ entries }`): both are read. */
function listOf<T>(raw: unknown, key: string): T[] {
  if (Array.isArray(raw)) return raw as T[];
  const inner = (raw as Record<string, unknown> | null)?.[key];
  return Array.isArray(inner) ? (inner as T[]) : [];
}

export const evidenceApi = {
  list: async (incidentId: string) =>
    listOf<EvidenceItem>(await api.get<unknown>(incident(incidentId)), 'items'),
  custody: async (evidenceId: string) =>
    listOf<CustodyEntry>(await api.get<unknown>(`${item(evidenceId)}/custody`), 'entries'),
  upload: (incidentId: string, file: File, description: string, marking: Marking) => {
    const form = new FormData();
    if (description) form.append('description', description);
    form.append('marking', JSON.stringify(marking));
    // The file goes last: the server streams it while hashing, the fields are read before.
    form.append('file', file, file.name);
    return api.upload<EvidenceItem>(incident(incidentId), form);
  },
  linkSegment: (incidentId: string, s: Pick<EvidenceSuggestion, 'uid' | 'from' | 'to'>) =>
    api.post<EvidenceItem>(`${incident(incidentId)}/links`, {
      kind: 'track-segment',
      trackUid: s.uid,
      from: s.from,
      to: s.to,
    }),
  suggestions: async (incidentId: string) =>
    listOf<EvidenceSuggestion>(await api.get<unknown>(`${incident(incidentId)}/suggestions`), 'items'),
  contentUrl: (evidenceId: string, inline: boolean) =>
    `/api/v1${item(evidenceId)}/content${inline ? '?disposition=inline' : ''}`,
};
