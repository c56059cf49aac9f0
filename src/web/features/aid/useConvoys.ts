import { useEffect, useMemo, useState } from 'react';
import { CONVOYS_LAYER } from '../../../domain/consignments';
import type { Marking } from '../../../domain/marking';
import type { ConvoyPoint } from '../../map/convoyLayer';
import { aidApi, type ConvoyFeature } from './aidApi';
import { useAidLive } from './useAidLive';

/** Positions come from the convoys' tracks, which move all the time: read again this often. */
const REFRESH_MS = 15_000;

/** The convoys for the map, fetched only while their layer is on. */
export function useConvoys(enabled: boolean): {
  points: ConvoyPoint[];
  count: number;
  markings: Marking[];
} {
  const revision = useAidLive([CONVOYS_LAYER], enabled);
  const [convoys, setConvoys] = useState<ConvoyFeature[]>([]);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, [enabled]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: revision and tick say when to fetch again.
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    aidApi.convoys().then(
      (fc) => live && setConvoys(fc.features),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [enabled, revision, tick]);

  return useMemo(() => {
    const shown = enabled ? convoys : [];
    const points: ConvoyPoint[] = [];
    for (const f of shown) {
      const c = f.geometry?.coordinates;
      if (c)
        points.push({ id: f.id, name: f.properties.name, lon: c[0], lat: c[1], trucks: f.properties.trucks });
    }
    return { points, count: points.length, markings: shown.map((f) => f.properties.marking) };
  }, [enabled, convoys]);
}
