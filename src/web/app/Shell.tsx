import {
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { aggregateMarking, formatMarking, type Marking } from '../../domain/marking';
import type { ZoneKind } from '../../domain/zones';
import { countByKind, filterZones } from '../features/zones/filter';
import { KIND_ORDER } from '../features/zones/kinds';
import { LayerPanel } from '../features/zones/LayerPanel';
import { ZoneDetails } from '../features/zones/ZoneDetails';
import { ZONES_LAYER, ZoneStore } from '../features/zones/zoneStore';
import { fetchZones } from '../features/zones/zonesApi';
import { t } from '../i18n/t';
import { type MapHandle, MapView } from '../map/MapView';
import type { Me } from './auth';
import { ClassificationBanner } from './ClassificationBanner';
import { TopBar } from './TopBar';
import { useLiveFeed } from './useLiveFeed';
import { useServerConfig } from './useServerConfig';

const LIVE_LAYERS = [ZONES_LAYER];
/** Shown until the first zones arrive: nothing classified is on screen yet. */
const EMPTY_MARKING = 'UNCLASSIFIED';

interface ShellProps {
  me: Me;
  onLogout(): Promise<void>;
  onSessionEnded(): void;
}

/** The common operational picture: banners, top bar, layer panel, map and zone details. */
export function Shell({ me, onLogout, onSessionEnded }: ShellProps) {
  const store = useMemo(() => new ZoneStore(), []);
  const { zones, byId, markingText, loaded } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const live = useLiveFeed(LIVE_LAYERS, (m) => store.apply(m), onSessionEnded);
  const config = useServerConfig();
  const mapRef = useRef<MapHandle>(null);

  const [loadError, setLoadError] = useState<string | null>(null);
  const [visible, setVisible] = useState<ReadonlySet<ZoneKind>>(() => new Set(KIND_ORDER));
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [historyMarkings, setHistoryMarkings] = useState<Marking[]>([]);
  const [layersOpen, setLayersOpen] = useState(false);

  // The first picture comes from a plain GET so the map fills even before the socket is up;
  // the live snapshot then takes over as the source of truth.
  useEffect(() => {
    fetchZones().then(
      (fc) => store.loadCollection(fc),
      (e: unknown) =>
        setLoadError(t('zones.loadFailed', { detail: e instanceof Error ? e.message : String(e) })),
    );
  }, [store]);

  useEffect(() => {
    if (loaded) setLoadError(null);
  }, [loaded]);

  const shown = useMemo(() => filterZones(zones, visible, deferredQuery), [zones, visible, deferredQuery]);
  const counts = useMemo(() => countByKind(zones), [zones]);

  const bannerText = useMemo(() => {
    if (historyMarkings.length === 0) return markingText ?? EMPTY_MARKING;
    return formatMarking(aggregateMarking([...zones.map((z) => z.properties.marking), ...historyMarkings]));
  }, [zones, markingText, historyMarkings]);

  const toggleKind = useCallback((kind: ZoneKind) => {
    setVisible((prev) => {
      const next = new Set(prev);
      if (next.has(kind)) next.delete(kind);
      else next.add(kind);
      return next;
    });
  }, []);

  const pick = useCallback((id: string) => {
    setSelectedId(id);
    setLayersOpen(false);
    mapRef.current?.zoomTo(id);
  }, []);

  const closeDetails = useCallback(() => setSelectedId(null), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) setSelectedId(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const sheet = selectedId ? 'details' : layersOpen ? 'layers' : 'none';

  return (
    <div className="shell">
      <ClassificationBanner text={bannerText} position="top" />
      <TopBar
        me={me}
        live={live}
        onLogout={onLogout}
        layersOpen={layersOpen}
        onToggleLayers={() => setLayersOpen((o) => !o)}
      />
      <main className="workspace" data-sheet={sheet} data-details={selectedId ? 'open' : 'closed'}>
        <aside className="workspace__side" id="layer-sheet">
          <LayerPanel
            counts={counts}
            visible={visible}
            onToggle={toggleKind}
            onShowAll={(show) => setVisible(new Set(show ? KIND_ORDER : []))}
            query={query}
            onQuery={setQuery}
            shown={shown}
            total={zones.length}
            selectedId={selectedId}
            onPick={pick}
          />
        </aside>
        <div className="workspace__map">
          <MapView
            ref={mapRef}
            zones={shown}
            selectedId={selectedId}
            onSelect={setSelectedId}
            tileUrl={config?.tileUrl ?? null}
          />
          {loadError && !loaded && (
            <p className="map-notice map-notice--error" role="alert">
              {loadError}
            </p>
          )}
        </div>
        {selectedId && (
          <aside className="workspace__details">
            <ZoneDetails
              id={selectedId}
              zone={byId.get(selectedId)}
              onClose={closeDetails}
              onZoomTo={(id) => mapRef.current?.zoomTo(id)}
              onMarkings={setHistoryMarkings}
            />
          </aside>
        )}
      </main>
      <ClassificationBanner text={bannerText} position="bottom" />
    </div>
  );
}
