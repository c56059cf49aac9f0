import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useAlerts } from '../features/alerts/useAlerts';
import { IncidentStore } from '../features/incidents/incidentStore';
import { useAidMap } from '../features/notifications/useAidMap';
import { useTracks } from '../features/tracks/useTracks';
import { ZoneStore } from '../features/zones/zoneStore';
import { fetchZones } from '../features/zones/zonesApi';
import { t } from '../i18n/t';
import { LIVE_LAYERS } from './liveLayers';
import { useLiveFeed } from './useLiveFeed';

/**
 * The live picture behind the shell: the stores of zones, tracks (found by `trackQuery`), alerts,
 * incidents, facilities and notifications, all fed by one live feed.
 */
export function useLivePicture(user: string, trackQuery: string, onSessionEnded: () => void) {
  const store = useMemo(() => new ZoneStore(), []);
  const zoneState = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [loadError, setLoadError] = useState<string | null>(null);
  const tracks = useTracks(trackQuery);
  const trackStore = tracks.store;
  const alerts = useAlerts();
  const applyAlert = alerts.apply;
  const incidentStore = useMemo(() => new IncidentStore(), []);
  const incidentState = useSyncExternalStore(incidentStore.subscribe, incidentStore.getSnapshot);
  const aid = useAidMap();
  const aidStore = aid.store;
  // The live feed subscribes as soon as the socket is up, alongside the zones GET: waiting for the
  // zones first left the server's tracks snapshot (and the page) idle for a second or more, and
  // the first picture needs both. The page's work is the same either way.
  const live = useLiveFeed(
    LIVE_LAYERS,
    (m) => {
      store.apply(m);
      trackStore.apply(m);
      applyAlert(m);
      incidentStore.apply(m);
      aidStore.apply(m);
    },
    onSessionEnded,
    undefined,
    user,
  );

  // The first picture comes from a plain GET so the map fills even before the socket is up;
  // the live snapshot then takes over as the source of truth.
  useEffect(() => {
    fetchZones().then(
      (fc) => store.loadCollection(fc),
      (e: unknown) =>
        setLoadError(t('zones.loadFailed', { detail: e instanceof Error ? e.message : String(e) })),
    );
  }, [store]);

  const { loaded } = zoneState;
  useEffect(() => {
    if (loaded) setLoadError(null);
  }, [loaded]);

  return { store, zoneState, loadError, tracks, alerts, incidentStore, incidentState, aid, live };
}
