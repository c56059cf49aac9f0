import { useCallback, useMemo, useState } from 'react';
import type { AlertHighlightTarget } from '../../map/alertHighlight';
import { type AlertFeature, alertLonLat } from './types';
import type { useAlerts } from './useAlerts';

/**
 * Whether the alerts panel is open, which alert is selected, and what the map highlights for it.
 * `onOpen` lets the shell close what the panel takes the place of.
 */
export function useAlertsPanel(
  alerts: ReturnType<typeof useAlerts>,
  centre: (lon: number, lat: number) => void,
  onOpen: () => void,
) {
  const [open, setOpen] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);

  const selected = open && selectedId ? alerts.byId.get(selectedId) : undefined;
  const lon = selected?.geometry.coordinates[0];
  const lat = selected?.geometry.coordinates[1];
  const zoneId = selected?.properties.zoneId ?? null;
  const highlight: AlertHighlightTarget | null = useMemo(
    () => (lon !== undefined && lat !== undefined ? { lon, lat, zoneId } : null),
    [lon, lat, zoneId],
  );

  const centreOn = useCallback((a: AlertFeature) => centre(...alertLonLat(a)), [centre]);
  const pick = useCallback(
    (id: string | null) => {
      setSelectedId(id);
      const a = id ? alerts.byId.get(id) : undefined;
      if (a) centreOn(a);
    },
    [alerts.byId, centreOn],
  );
  const toggle = useCallback(() => {
    setOpen((o) => !o);
    onOpen();
  }, [onOpen]);

  return { open, setOpen, selectedId, highlight, centreOn, pick, toggle };
}
