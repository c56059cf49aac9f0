import type {
  CustodyEntry,
  EvidenceItem,
  EvidenceSuggestion,
  EvidenceSuggestions,
} from '../../../domain/evidence';
import type { Marking } from '../../../domain/marking';
import { api } from '../../app/api';

export type { CustodyEntry, EvidenceItem, EvidenceSuggestion } from '../../../domain/evidence';

/** What the list, custody and suggestion routes wrap their lists in. */
interface EvidenceList {
  items: EvidenceItem[];
}
interface CustodyList {
  entries: CustodyEntry[];
}

const incident = (id: string) => `/incidents/${encodeURIComponent(id)}/evidence`;
const item = (id: string) => `/evidence/${encodeURIComponent(id)}`;

export const evidenceApi = {
  list: async (incidentId: string) => (await api.get<EvidenceList>(incident(incidentId))).items,
  custody: async (evidenceId: string) => (await api.get<CustodyList>(`${item(evidenceId)}/custody`)).entries,
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
    (await api.get<EvidenceSuggestions>(`${incident(incidentId)}/suggestions`)).items,
  contentUrl: (evidenceId: string, inline: boolean) =>
    `/api/v1${item(evidenceId)}/content${inline ? '?disposition=inline' : ''}`,
};
