import {
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { NOTIFICATIONS_LAYER } from '../../domain/deconfliction';
import { FACILITIES_LAYER } from '../../domain/facilities';
import { INCIDENTS_LAYER, type IncidentFeature } from '../../domain/incidents';
import { aggregateMarking, formatMarking, type Marking } from '../../domain/marking';
import { hasPermission } from '../../domain/roles';
import type { ZoneKind } from '../../domain/zones';
import { ConvoyLayerToggle } from '../features/aid/ConvoyLayerToggle';
import { useConvoys } from '../features/aid/useConvoys';
import { AlertsPanel } from '../features/alerts/AlertsPanel';
import { ALERTS_LAYER } from '../features/alerts/types';
import { useAlerts } from '../features/alerts/useAlerts';
import { useAlertsPanel } from '../features/alerts/useAlertsPanel';
import { IncidentLayerToggle } from '../features/incidents/IncidentLayerToggle';
import { IncidentStore } from '../features/incidents/incidentStore';
import { MeasureResult } from '../features/measure/MeasureResult';
import { AidLayerToggle } from '../features/notifications/AidLayerToggle';
import { useAidMap } from '../features/notifications/useAidMap';
import { ReplayBar } from '../features/replay/ReplayBar';
import { useReplayMode } from '../features/replay/useReplayMode';
import { TrackDetails } from '../features/tracks/TrackDetails';
import { TrackKinds } from '../features/tracks/TrackKinds';
import { TrackList } from '../features/tracks/TrackList';
import { TRACKS_LAYER } from '../features/tracks/types';
import { useTracks } from '../features/tracks/useTracks';
import { trailCoordinates, useTrackTrail } from '../features/tracks/useTrackTrail';
import { DeleteDialog } from '../features/zones/editing/DeleteDialog';
import { EditorPanel } from '../features/zones/editing/EditorPanel';
import type { PreviewFeature } from '../features/zones/editing/ImportPanel';
import { NoticeToast } from '../features/zones/editing/NoticeToast';
import { useZoneEditor } from '../features/zones/editing/useZoneEditor';
import { ZoneActions } from '../features/zones/editing/ZoneActions';
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
import { MapToolbar } from './MapToolbar';
import { PageHost } from './PageHost';
import { navigate, paths, useRoute } from './router';
import { TopBar } from './TopBar';
import { useBannerText } from './useBannerText';
import { useLiveFeed } from './useLiveFeed';
import { useMapTools } from './useMapTools';
import { useServerConfig } from './useServerConfig';

/**
 * Tracks first: the zones come from a GET started as the page loads (`prefetchZones`), and the
 * server sends the snapshots in this order.
 */
const LIVE_LAYERS = [
  TRACKS_LAYER,
  ZONES_LAYER,
  ALERTS_LAYER,
  INCIDENTS_LAYER,
  FACILITIES_LAYER,
  NOTIFICATIONS_LAYER,
];
const NO_PREVIEW: PreviewFeature[] = [];
const NO_TRAIL: [number, number][] = [];
const NO_MARKINGS: readonly Marking[] = [];
const NO_INCIDENTS: readonly IncidentFeature[] = [];
const openIncident = (id: string) => navigate(paths.incident(id));

interface ShellProps {
  me: Me;
  onLogout(): Promise<void>;
  onSessionEnded(): void;
}

/** The common operational picture: banners, top bar, layer panel, map, and zone or track details. */
export function Shell({ me, onLogout, onSessionEnded }: ShellProps) {
  const store = useMemo(() => new ZoneStore(), []);
  const { zones, byId, markingText, loaded } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const config = useServerConfig();
  const mapRef = useRef<MapHandle>(null);

  const [loadError, setLoadError] = useState<string | null>(null);
  const [visible, setVisible] = useState<ReadonlySet<ZoneKind>>(() => new Set(KIND_ORDER));
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const tracks = useTracks(deferredQuery);
  const trackStore = tracks.store;
  const alerts = useAlerts();
  const applyAlert = alerts.apply;
  const route = useRoute();
  const incidentStore = useMemo(() => new IncidentStore(), []);
  const incidentState = useSyncExternalStore(incidentStore.subscribe, incidentStore.getSnapshot);
  const [incidentsVisible, setIncidentsVisible] = useState(true);
  const aid = useAidMap();
  const aidStore = aid.store;
  const [convoysVisible, setConvoysVisible] = useState(false);
  // What a page other than the map shows: the banner covers it instead of the map's contents.
  const [pageMarkings, setPageMarkings] = useState<readonly Marking[]>(NO_MARKINGS);
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
  );
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [selectedTrackId, setSelectedTrackId] = useState<string | null>(null);
  const [layersOpen, setLayersOpen] = useState(false);
  const centre = useCallback((lon: number, lat: number) => mapRef.current?.centreOn(lon, lat), []);
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
  const selectedTrack = selectedTrackId ? tracks.byId.get(selectedTrackId) : undefined;
  const trail = useTrackTrail(selectedTrackId, selectedTrack);
  const hasSelectedTrack = selectedTrack !== undefined;
  // The trail goes with the track: one that left the picture takes its trail (and marking) along.
  const trailOnMap = useMemo(
    () => (hasSelectedTrack ? trailCoordinates(trail) : NO_TRAIL),
    [trail, hasSelectedTrack],
  );
  const [historyMarkings, setHistoryMarkings] = useState<Marking[]>([]);
  const canEdit = hasPermission(me.roles, 'zones:write');
  const editor = useZoneEditor({ store, select: selectZone });
  const tools = useMapTools(
    editor,
    useCallback(() => setLayersOpen(false), []),
  );
  const { measuring, setMeasuring } = tools;
  const [preview, setPreview] = useState<PreviewFeature[]>(NO_PREVIEW);
  const step = editor.state.step;
  // Replay mode: the map shows a past window instead of the live picture (features/replay).
  const replayMode = useReplayMode(
    visible,
    deferredQuery,
    useCallback(() => {
      setSelectedId(null);
      setSelectedTrackId(null);
      setMeasuring(false);
    }, [setMeasuring]),
  );
  const { replay, scene: replayScene } = replayMode;

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

  // Everything on screen counts: zones, tracks (and their counts in the panel), zone versions,
  // the past positions of the trail on the map, open alerts, and what a replay shows.
  const trackCount = tracks.tracks.length;
  const trailMarkings = hasSelectedTrack ? trail.markings : NO_MARKINGS;
  const alertMarkings = useMemo(
    () => (alertsPanel.open && alerts.alerts.length > 0 ? [alerts.marking] : NO_MARKINGS),
    [alertsPanel.open, alerts.alerts.length, alerts.marking],
  );

  const zoneMarkings = useMemo(() => zones.map((z) => z.properties.marking), [zones]);
  const convoys = useConvoys(convoysVisible && !replay.open);
  const incidentMarkings = useMemo(
    () =>
      incidentsVisible && !replay.open
        ? incidentState.incidents.map((i) => i.properties.marking)
        : NO_MARKINGS,
    [incidentsVisible, replay.open, incidentState.incidents],
  );
  const aidMarkings = replay.open ? NO_MARKINGS : aid.markings;
  const others = useMemo(
    () => [
      historyMarkings,
      trailMarkings,
      alertMarkings,
      replayMode.markings,
      incidentMarkings,
      convoys.markings,
      aidMarkings,
    ],
    [
      historyMarkings,
      trailMarkings,
      alertMarkings,
      replayMode.markings,
      incidentMarkings,
      convoys.markings,
      aidMarkings,
    ],
  );
  const mapBannerText = useBannerText({
    zoneMarkings,
    zonesText: markingText,
    trackMarking: trackCount > 0 ? tracks.marking : null,
    others,
  });
  const onMap = route.page === 'map';
  const bannerText = onMap
    ? mapBannerText
    : pageMarkings.length
      ? formatMarking(aggregateMarking(pageMarkings))
      : 'UNCLASSIFIED';

  const toggleKind = useCallback((kind: ZoneKind) => {
    setVisible((prev) => {
      const next = new Set(prev);
      if (next.has(kind)) next.delete(kind);
      else next.add(kind);
      return next;
    });
  }, []);

  const pick = useCallback(
    (id: string) => {
      selectZone(id);
      setLayersOpen(false);
      mapRef.current?.zoomTo(id);
    },
    [selectZone],
  );

  const pickTrack = useCallback(
    (uid: string) => {
      selectTrack(uid);
      setLayersOpen(false);
      mapRef.current?.centreOnTrack(uid);
    },
    [selectTrack],
  );

  const closeDetails = useCallback(() => selectZone(null), [selectZone]);

  // Escape closes the details; while editing it must not throw away a form or a drawing.
  const editing = step !== 'idle';
  useEffect(() => {
    if (editing) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) selectZone(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editing, selectZone]);

  const s = editor.state;

  const editedId = s.step === 'edit-details' || s.step === 'edit-geometry' ? String(s.zone.id) : null;
  const selectedZone = selectedId ? byId.get(selectedId) : undefined;
  const panel = editing
    ? 'editor'
    : alertsPanel.open
      ? 'alerts'
      : selectedId || selectedTrackId
        ? 'details'
        : 'none';
  const sheet = panel !== 'none' ? panel : layersOpen ? 'layers' : 'none';

  return (
    <div className="shell">
      <ClassificationBanner text={bannerText} position="top" />
      <TopBar
        me={me}
        route={route}
        live={live}
        onLogout={onLogout}
        layersOpen={layersOpen}
        onToggleLayers={() => setLayersOpen((o) => !o)}
        alerts={{
          count: alerts.open,
          severity: alerts.worst,
          open: alertsPanel.open,
          onToggle: onMap
            ? alertsPanel.toggle
            : () => {
                navigate(paths.map);
                closeAlerts(true);
              },
        }}
      />
      {route.page !== 'map' && (
        <PageHost
          me={me}
          route={route}
          zones={zones}
          incidents={incidentState}
          incidentStore={incidentStore}
          aid={aid.state}
          aidStore={aidStore}
          onMarkings={setPageMarkings}
        />
      )}
      <main
        hidden={!onMap}
        className="workspace"
        data-sheet={sheet}
        data-details={panel === 'none' ? 'closed' : 'open'}
        data-panel={step === 'import' ? 'wide' : 'normal'}
        data-replay={replay.open ? 'open' : undefined}
      >
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
            incidents={
              <>
                <IncidentLayerToggle
                  count={incidentState.incidents.length}
                  visible={incidentsVisible}
                  onToggle={() => setIncidentsVisible((v) => !v)}
                />
                <AidLayerToggle
                  counts={{ facilities: aid.state.facilities.length, notifications: aid.notificationCount }}
                  visible={aid.visible}
                  onToggle={aid.toggle}
                />
                <ConvoyLayerToggle
                  count={convoys.count}
                  visible={convoysVisible}
                  onToggle={() => setConvoysVisible((v) => !v)}
                />
              </>
            }
            tracks={
              <TrackKinds
                counts={tracks.counts}
                visible={tracks.visible}
                onToggle={tracks.toggle}
                onShowAll={tracks.showAll}
              />
            }
            trackResults={
              <TrackList
                tracks={tracks.shown}
                total={trackCount}
                selectedId={selectedTrackId}
                onPick={pickTrack}
              />
            }
          />
        </aside>
        <div className="workspace__map">
          <MapView
            ref={mapRef}
            zones={replayMode.zones ?? shown}
            selectedId={selectedId}
            onSelect={selectZone}
            tracks={tracks.shown}
            subscribeTrackMoves={trackStore.subscribeMoves}
            selectedTrackId={selectedTrackId}
            onSelectTrack={replay.open ? undefined : selectTrack}
            replay={replayScene}
            trail={trailOnMap}
            tileUrl={config?.tileUrl ?? null}
            tool={tools.tool}
            draft={tools.draft}
            preview={step === 'import' ? preview : NO_PREVIEW}
            callbacks={tools.callbacks}
            alertHighlight={alertsPanel.highlight}
            incidents={replay.open ? NO_INCIDENTS : incidentState.incidents}
            incidentsVisible={incidentsVisible}
            onSelectIncident={openIncident}
            aid={replay.open ? undefined : aid.map}
            convoys={convoys.points}
            convoysVisible={convoysVisible}
          />
          <MapToolbar
            canEdit={canEdit}
            drawing={step === 'choose' || step === 'drawing'}
            importing={step === 'import'}
            measuring={measuring}
            busy={step === 'drawing'}
            editing={step === 'create' || step === 'edit-details' || step === 'edit-geometry'}
            onDraw={tools.startDraw}
            onImport={tools.startImport}
            onMeasure={tools.toggleMeasure}
            replaying={replay.open}
            onReplay={replayMode.toggle}
          />
          {measuring && <MeasureResult metres={tools.measured} />}
          {editor.notice && (
            <NoticeToast
              notice={editor.notice}
              onUndo={() => void editor.undoDelete()}
              onDismiss={editor.dismissNotice}
            />
          )}
          {replayMode.zonesFailed && (
            <p className="map-notice map-notice--error" role="alert">
              {t('replay.zonesFailed')}
            </p>
          )}
          {loadError && !loaded && (
            <p className="map-notice map-notice--error" role="alert">
              {loadError}
            </p>
          )}
        </div>
        {editing && (
          <aside className="workspace__details" data-testid="editor-sheet">
            <EditorPanel
              me={me}
              editor={editor}
              live={editedId ? byId.get(editedId) : undefined}
              onFinishDrawing={() => mapRef.current?.finishDrawing()}
              onUndoPoint={() => mapRef.current?.undoLastPoint()}
              onPreview={setPreview}
            />
          </aside>
        )}
        {!editing && alertsPanel.open && (
          <aside className="workspace__details">
            <AlertsPanel
              alerts={alerts}
              canAct={hasPermission(me.roles, 'alerts:act')}
              username={me.username}
              selectedId={alertsPanel.selectedId}
              onSelect={alertsPanel.pick}
              onCentre={alertsPanel.centreOn}
              onClose={() => closeAlerts(false)}
            />
          </aside>
        )}
        {!editing && !alertsPanel.open && selectedTrackId && (
          <aside className="workspace__details">
            <TrackDetails
              uid={selectedTrackId}
              track={selectedTrack}
              trail={trail}
              onClose={closeDetails}
              onCentre={(uid) => mapRef.current?.centreOnTrack(uid)}
            />
          </aside>
        )}
        {!editing && !alertsPanel.open && selectedId && (
          <aside className="workspace__details">
            <ZoneDetails
              id={selectedId}
              zone={selectedZone}
              onClose={closeDetails}
              onZoomTo={(id) => mapRef.current?.zoomTo(id)}
              onMarkings={setHistoryMarkings}
              actions={
                canEdit && selectedZone ? (
                  <ZoneActions zone={selectedZone} editor={editor} onBeforeEdit={() => setMeasuring(false)} />
                ) : null
              }
            />
          </aside>
        )}
        {replay.open && <ReplayBar replay={replay} />}
        {editor.deleting && (
          <DeleteDialog
            state={editor.deleting}
            onConfirm={() => void editor.confirmDelete()}
            onCancel={editor.cancelDelete}
            onReload={editor.reloadForDelete}
          />
        )}
      </main>
      <ClassificationBanner text={bannerText} position="bottom" />
    </div>
  );
}
