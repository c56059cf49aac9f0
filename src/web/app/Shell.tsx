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
import { hasPermission } from '../../domain/roles';
import type { ZoneKind } from '../../domain/zones';
import { AlertsPanel } from '../features/alerts/AlertsPanel';
import { ALERTS_LAYER, type AlertFeature, alertLonLat } from '../features/alerts/types';
import { useAlerts } from '../features/alerts/useAlerts';
import { MeasureResult } from '../features/measure/MeasureResult';
import { ReplayBar } from '../features/replay/ReplayBar';
import { useReplay } from '../features/replay/useReplay';
import { presetRange } from '../features/replay/windows';
import { useReplayZones } from '../features/replay/zonesAt';
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
import { type MapDraft, type MapHandle, type MapTool, MapView } from '../map/MapView';
import type { Me } from './auth';
import { ClassificationBanner } from './ClassificationBanner';
import { MapToolbar } from './MapToolbar';
import { TopBar } from './TopBar';
import { useLiveFeed } from './useLiveFeed';
import { useServerConfig } from './useServerConfig';

const LIVE_LAYERS = [ZONES_LAYER, TRACKS_LAYER, ALERTS_LAYER];
const NO_PREVIEW: PreviewFeature[] = [];
const NO_TRAIL: [number, number][] = [];
const NO_MARKINGS: readonly Marking[] = [];
/** Shown until the first zones arrive: nothing classified is on screen yet. */
const EMPTY_MARKING = 'UNCLASSIFIED';

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
  const live = useLiveFeed(
    LIVE_LAYERS,
    (m) => {
      store.apply(m);
      trackStore.apply(m);
      applyAlert(m);
    },
    onSessionEnded,
  );
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [selectedTrackId, setSelectedTrackId] = useState<string | null>(null);
  const [alertsOpen, setAlertsOpen] = useState(false);
  const [selectedAlertId, setSelectedAlertId] = useState<string | null>(null);
  // One thing is selected at a time: a zone or a track; either takes the place of the alerts panel.
  const selectZone = useCallback((id: string | null) => {
    setSelectedId(id);
    setSelectedTrackId(null);
    if (id) setAlertsOpen(false);
  }, []);
  const selectTrack = useCallback((uid: string) => {
    setSelectedTrackId(uid);
    setSelectedId(null);
    setAlertsOpen(false);
  }, []);
  const selectedTrack = selectedTrackId ? tracks.byId.get(selectedTrackId) : undefined;
  const trail = useTrackTrail(selectedTrackId, selectedTrack);
  const hasSelectedTrack = selectedTrack !== undefined;
  // The trail goes with the track: one that left the picture takes its trail (and marking) along.
  const trailOnMap = useMemo(
    () => (hasSelectedTrack ? trailCoordinates(trail) : NO_TRAIL),
    [trail, hasSelectedTrack],
  );
  const [historyMarkings, setHistoryMarkings] = useState<Marking[]>([]);
  const [layersOpen, setLayersOpen] = useState(false);
  const canEdit = hasPermission(me.roles, 'zones:write');
  const editor = useZoneEditor({ store, select: selectZone });
  const [measuring, setMeasuring] = useState(false);
  const [measured, setMeasured] = useState<number | null>(null);
  const [preview, setPreview] = useState<PreviewFeature[]>(NO_PREVIEW);
  const step = editor.state.step;
  // Replay mode: the map shows a past window instead of the live picture (features/replay).
  const replay = useReplay();
  const replayScene = replay.open ? replay.scene : null;
  const replayZones = useReplayZones(replayScene?.clock ?? null);

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

  // Everything on screen counts: zones, tracks (and their counts in the panel), zone versions and
  // the past positions of the trail on the map.
  const trackCount = tracks.tracks.length;
  const trackMarking = tracks.marking;
  const trailMarkings = hasSelectedTrack ? trail.markings : NO_MARKINGS;
  // Alerts are on screen while their panel is open.
  const alertMarking = alertsOpen && alerts.alerts.length > 0 ? alerts.marking : null;
  // While replaying, what the replay shows counts too: its positions, alerts and past zones.
  const replayMarkings = useMemo(
    () =>
      replayScene
        ? [...replay.markings, ...(replayZones.zones ?? []).map((z) => z.properties.marking)]
        : NO_MARKINGS,
    [replayScene, replay.markings, replayZones.zones],
  );
  const bannerText = useMemo(() => {
    if (
      historyMarkings.length === 0 &&
      trackCount === 0 &&
      trailMarkings.length === 0 &&
      replayMarkings.length === 0 &&
      !alertMarking
    )
      return markingText ?? EMPTY_MARKING;
    return formatMarking(
      aggregateMarking([
        ...zones.map((z) => z.properties.marking),
        ...(trackCount > 0 ? [trackMarking] : []),
        ...(alertMarking ? [alertMarking] : []),
        ...historyMarkings,
        ...trailMarkings,
        ...replayMarkings,
      ]),
    );
  }, [
    zones,
    markingText,
    historyMarkings,
    trackCount,
    trackMarking,
    trailMarkings,
    alertMarking,
    replayMarkings,
  ]);

  const selectedAlert = alertsOpen && selectedAlertId ? alerts.byId.get(selectedAlertId) : undefined;
  const alertLon = selectedAlert?.geometry.coordinates[0];
  const alertLat = selectedAlert?.geometry.coordinates[1];
  const alertZone = selectedAlert?.properties.zoneId ?? null;
  const alertHighlight = useMemo(
    () =>
      alertLon !== undefined && alertLat !== undefined
        ? { lon: alertLon, lat: alertLat, zoneId: alertZone }
        : null,
    [alertLon, alertLat, alertZone],
  );
  const centreOnAlert = useCallback((a: AlertFeature) => mapRef.current?.centreOn(...alertLonLat(a)), []);
  const pickAlert = useCallback(
    (id: string | null) => {
      setSelectedAlertId(id);
      const a = id ? alerts.byId.get(id) : undefined;
      if (a) centreOnAlert(a);
    },
    [alerts.byId, centreOnAlert],
  );
  const toggleAlerts = useCallback(() => {
    setAlertsOpen((o) => !o);
    setSelectedId(null);
    setSelectedTrackId(null);
    setLayersOpen(false);
  }, []);

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

  // Replay opens on the last hour, the window most often asked about; pressing again is back to live.
  const toggleReplay = useCallback(() => {
    if (replay.open) {
      replay.stop();
      return;
    }
    selectZone(null);
    setMeasuring(false);
    replay.start();
    replay.load(presetRange('1h'));
  }, [replay, selectZone]);
  const replayShownZones = useMemo(
    () => (replayScene ? filterZones(replayZones.zones ?? [], visible, deferredQuery) : null),
    [replayScene, replayZones.zones, visible, deferredQuery],
  );

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

  const toggleMeasure = useCallback(() => {
    setMeasuring((m) => !m);
    setMeasured(null);
  }, []);

  const startDraw = useCallback(() => {
    setMeasuring(false);
    setLayersOpen(false);
    if (step === 'idle' || step === 'import') editor.startChoose();
    else if (step === 'choose' || step === 'drawing') editor.cancel();
  }, [step, editor]);

  const startImport = useCallback(() => {
    setLayersOpen(false);
    if (step === 'import') editor.cancel();
    else editor.startImport();
  }, [step, editor]);

  const s = editor.state;
  const tool: MapTool | null = measuring
    ? { kind: 'measure' }
    : s.step === 'drawing'
      ? { kind: 'draw', geometryType: s.geometryType, zoneKind: s.kind }
      : s.step === 'create' || s.step === 'edit-geometry'
        ? { kind: 'modify' }
        : null;
  const draftGeometry = s.step === 'create' || s.step === 'edit-geometry' ? s.geometry : null;
  const draftKind = s.step === 'create' ? s.kind : s.step === 'edit-geometry' ? s.zone.properties.kind : null;
  const draft: MapDraft | null = useMemo(
    () => (draftGeometry && draftKind ? { geometry: draftGeometry, kind: draftKind } : null),
    [draftGeometry, draftKind],
  );
  const mapCallbacks = useMemo(
    () => ({
      onDrawn: editor.drawn,
      onDrawCancel: editor.drawCancelled,
      onDraftChange: editor.draftChanged,
      onMeasure: setMeasured,
    }),
    [editor.drawn, editor.drawCancelled, editor.draftChanged],
  );

  const editedId = s.step === 'edit-details' || s.step === 'edit-geometry' ? String(s.zone.id) : null;
  const selectedZone = selectedId ? byId.get(selectedId) : undefined;
  const panel = editing
    ? 'editor'
    : alertsOpen
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
        live={live}
        onLogout={onLogout}
        layersOpen={layersOpen}
        onToggleLayers={() => setLayersOpen((o) => !o)}
        alerts={{ count: alerts.open, severity: alerts.worst, open: alertsOpen, onToggle: toggleAlerts }}
      />
      <main
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
            zones={replayShownZones ?? shown}
            selectedId={selectedId}
            onSelect={selectZone}
            tracks={tracks.shown}
            selectedTrackId={selectedTrackId}
            onSelectTrack={replay.open ? undefined : selectTrack}
            replay={replayScene}
            trail={trailOnMap}
            tileUrl={config?.tileUrl ?? null}
            tool={tool}
            draft={draft}
            preview={step === 'import' ? preview : NO_PREVIEW}
            callbacks={mapCallbacks}
            alertHighlight={alertHighlight}
          />
          <MapToolbar
            canEdit={canEdit}
            drawing={step === 'choose' || step === 'drawing'}
            importing={step === 'import'}
            measuring={measuring}
            busy={step === 'drawing'}
            editing={step === 'create' || step === 'edit-details' || step === 'edit-geometry'}
            onDraw={startDraw}
            onImport={startImport}
            onMeasure={toggleMeasure}
            replaying={replay.open}
            onReplay={toggleReplay}
          />
          {measuring && <MeasureResult metres={measured} />}
          {editor.notice && (
            <NoticeToast
              notice={editor.notice}
              onUndo={() => void editor.undoDelete()}
              onDismiss={editor.dismissNotice}
            />
          )}
          {replayScene && replayZones.failed && (
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
        {!editing && alertsOpen && (
          <aside className="workspace__details">
            <AlertsPanel
              alerts={alerts}
              canAct={hasPermission(me.roles, 'alerts:act')}
              username={me.username}
              selectedId={selectedAlertId}
              onSelect={pickAlert}
              onCentre={centreOnAlert}
              onClose={() => setAlertsOpen(false)}
            />
          </aside>
        )}
        {!editing && !alertsOpen && selectedTrackId && (
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
        {!editing && !alertsOpen && selectedId && (
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
