import { type RefObject, useCallback, useState } from 'react';
import type { AlertsModel } from '../features/alerts/useAlerts';
import { useAlertsPanel } from '../features/alerts/useAlertsPanel';
import type { MapHandle } from '../map/MapView';

/**
 * What the map page has open beside the map: the selected zone or track, the alerts panel, or the
 * layer sheet, and the picks that select and bring the map to what was picked.
 */
export function useMapSelection(alerts: AlertsModel, mapRef: RefObject<MapHandle | null>) {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [selectedTrackId, setSelectedTrackId] = useState<string | null>(null);
  const [layersOpen, setLayersOpen] = useState(false);
  const centre = useCallback((lon: number, lat: number) => mapRef.current?.centreOn(lon, lat), [mapRef]);
  const alertsPanel = useAlertsPanel(
    alerts,
    centre,
    useCallback(() => {
      setSelectedId(null);
      setSelectedTrackId(null);
      setLayersOpen(false);
    }, []),
  );
  const closeAlerts = alertsPanel.setOpen;
  // One thing is selected at a time: a zone or a track; either takes the place of the alerts panel.
  const selectZone = useCallback(
    (id: string | null) => {
      setSelectedId(id);
      setSelectedTrackId(null);
      if (id) closeAlerts(false);
    },
    [closeAlerts],
  );
  const selectTrack = useCallback(
    (uid: string) => {
      setSelectedTrackId(uid);
      setSelectedId(null);
      closeAlerts(false);
    },
    [closeAlerts],
  );
  const clearSelection = useCallback(() => {
    setSelectedId(null);
    setSelectedTrackId(null);
  }, []);

  const pick = useCallback(
    (id: string) => {
      selectZone(id);
      setLayersOpen(false);
      mapRef.current?.zoomTo(id);
    },
    [selectZone, mapRef],
  );

  const pickTrack = useCallback(
    (uid: string) => {
      selectTrack(uid);
      setLayersOpen(false);
      mapRef.current?.centreOnTrack(uid);
    },
    [selectTrack, mapRef],
  );

  const closeDetails = useCallback(() => selectZone(null), [selectZone]);

  return {
    selectedId,
    selectedTrackId,
    layersOpen,
    setLayersOpen,
    alertsPanel,
    closeAlerts,
    selectZone,
    selectTrack,
    clearSelection,
    pick,
    pickTrack,
    closeDetails,
  };
}
