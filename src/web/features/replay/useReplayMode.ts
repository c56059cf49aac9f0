import { useCallback, useMemo } from 'react';
import type { Marking } from '../../../domain/marking';
import type { ZoneKind } from '../../../domain/zones';
import { filterZones } from '../zones/filter';
import { useReplay } from './useReplay';
import { presetRange } from './windows';
import { useReplayZones } from './zonesAt';

const NONE: readonly Marking[] = [];

/**
 * Replay mode as the shell uses it: the replay, its scene while open, the zones as they were
 * (filtered like the live ones), the markings it puts on screen, and the toolbar's toggle.
 */
export function useReplayMode(visible: ReadonlySet<ZoneKind>, query: string, beforeStart: () => void) {
  const replay = useReplay();
  const scene = replay.open ? replay.scene : null;
  const past = useReplayZones(scene?.clock ?? null);

  // Replay opens on the last hour, the window most often asked about; pressing again is back to live.
  const toggle = useCallback(() => {
    if (replay.open) {
      replay.stop();
      return;
    }
    beforeStart();
    replay.start();
    replay.load(presetRange('1h'));
  }, [replay, beforeStart]);

  const zones = useMemo(
    () => (scene ? filterZones(past.zones ?? [], visible, query) : null),
    [scene, past.zones, visible, query],
  );
  const markings = useMemo(
    () => (scene ? [...replay.markings, ...(past.zones ?? []).map((z) => z.properties.marking)] : NONE),
    [scene, replay.markings, past.zones],
  );
  return { replay, scene, zones, zonesFailed: scene !== null && past.failed, markings, toggle };
}
