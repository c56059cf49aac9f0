import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { countTracksByKind, filterTracks } from './filter';
import { loadSymbols } from './symbols';
import { TrackStore } from './trackStore';
import { TRACK_KINDS, type TrackKind } from './types';

/** At the latest this long after the first tracks are drawn, even if the page never goes idle. */
const IDLE_LOAD_MS = 2_000;
/** Without any tracks snapshot (the live feed down), the legend still gets its symbols. */
const NO_SNAPSHOT_LOAD_MS = 10_000;

/**
 * The tracks of the picture: the store the live feed fills, the kinds switched on, and the tracks
 * that pass the toggles and the search (`query`, shared with the zones).
 */
export function useTracks(query: string) {
  const store = useMemo(() => new TrackStore(), []);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [visible, setVisible] = useState<ReadonlySet<TrackKind>>(() => new Set(TRACK_KINDS));

  // No initial GET as for zones: tracks are only worth showing live, and the live snapshot brings
  // them moments later without a request competing with the zones for the first picture.
  // The symbol library loads once the first tracks are on the map and the page is idle: building
  // its symbols took ~0.6 s, which delayed that first picture when it came before. Tracks show as
  // plain markers until then.
  const loaded = state.loaded;
  useEffect(() => {
    if (!loaded) {
      const timer = setTimeout(() => void loadSymbols(), NO_SNAPSHOT_LOAD_MS);
      return () => clearTimeout(timer);
    }
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(() => void loadSymbols(), { timeout: IDLE_LOAD_MS });
      return () => cancelIdleCallback(id);
    }
    const timer = setTimeout(() => void loadSymbols(), IDLE_LOAD_MS);
    return () => clearTimeout(timer);
  }, [loaded]);

  const toggle = useCallback((kind: TrackKind) => {
    setVisible((prev) => {
      const next = new Set(prev);
      if (next.has(kind)) next.delete(kind);
      else next.add(kind);
      return next;
    });
  }, []);
  const showAll = useCallback((show: boolean) => setVisible(new Set(show ? TRACK_KINDS : [])), []);

  const shown = useMemo(() => filterTracks(state.tracks, visible, query), [state.tracks, visible, query]);
  const counts = useMemo(() => countTracksByKind(state.tracks), [state.tracks]);

  return { store, ...state, visible, toggle, showAll, shown, counts };
}
