import type { FacilityFeature, FacilityInput } from '../../../domain/facilities';
import { api } from '../../app/api';

/** What a change sends besides the version: only the fields that changed. */
export type FacilityChanges = Partial<FacilityInput>;

const one = (id: string) => `/facilities/${encodeURIComponent(id)}`;

export const facilitiesApi = {
  get: (id: string) => api.get<FacilityFeature>(one(id)),
  create: (input: FacilityInput) => api.post<FacilityFeature>('/facilities', input),
  /** Refused with 409 when someone else changed the facility after `version`. */
  update: (id: string, version: number, changes: FacilityChanges) =>
    api.patch<FacilityFeature>(one(id), { ...changes, version }),
};
