import type { ZoneFeature } from '../../../domain/zones';
import { api } from '../../app/api';
import type { ZoneCollection } from './zoneStore';

export function fetchZones(): Promise<ZoneCollection> {
  return api.get<ZoneCollection>('/zones');
}

/** Every version of a zone, oldest first. */
export function fetchZoneVersions(id: string): Promise<ZoneFeature[]> {
  return api.get<ZoneFeature[]>(`/zones/${encodeURIComponent(id)}/versions`);
}
