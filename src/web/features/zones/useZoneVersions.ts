import { useEffect, useState } from 'react';
import type { ZoneFeature } from '../../../domain/zones';
import { fetchZoneVersions } from './zonesApi';

export type VersionsState =
  | { status: 'loading' }
  | { status: 'loaded'; versions: ZoneFeature[] }
  | { status: 'failed'; detail: string };

/** The version history of a zone, fetched again whenever a new version of it comes into force. */
export function useZoneVersions(id: string, currentVersion: number | undefined): VersionsState {
  const [state, setState] = useState<VersionsState>({ status: 'loading' });
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new current version means the history grew; refetch.
  useEffect(() => {
    let cancelled = false;
    setState({ status: 'loading' });
    fetchZoneVersions(id).then(
      (versions) => {
        if (!cancelled) setState({ status: 'loaded', versions: Array.isArray(versions) ? versions : [] });
      },
      (e: unknown) => {
        if (!cancelled) setState({ status: 'failed', detail: e instanceof Error ? e.message : String(e) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [id, currentVersion]);
  return state;
}
