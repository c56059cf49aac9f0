import { api } from '../../app/api';

/**
 * The positions of one track between `from` and now, oldest first: an array of positions or a
 * FeatureCollection of them (see `useTrackTrail`), so the answer is read defensively.
 */
export function fetchTrackHistory(uid: string, from: Date, limit: number): Promise<unknown> {
  const q = new URLSearchParams({ from: from.toISOString(), limit: String(limit) });
  return api.get<unknown>(`/tracks/${encodeURIComponent(uid)}/history?${q}`);
}
