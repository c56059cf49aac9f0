import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { IncidentFeature } from '../../domain/incidents';
import type { Marking } from '../../domain/marking';
import { hasPermission } from '../../domain/roles';
import { useConvoys } from '../features/aid/useConvoys';
import { ReplayBar } from '../features/replay/ReplayBar';
import { useReplayMode } from '../features/replay/useReplayMode';
import { DeleteDialog } from '../features/zones/editing/DeleteDialog';
import type { PreviewFeature } from '../features/zones/editing/ImportPanel';
import { useZoneEditor } from '../features/zones/editing/useZoneEditor';
import { countByKind, filterZones } from '../features/zones/filter';
import { type MapHandle, MapView } from '../map/MapView';
import type { Me } from './auth';
import { ClassificationBanner } from './ClassificationBanner';
import { DetailsSheet } from './DetailsSheet';
import { LayerSheet } from './LayerSheet';
import { MapNotices } from './MapNotices';
import { MapToolbar } from './MapToolbar';
import { PageHost } from './PageHost';
import { navigate, paths, useRoute } from './router';
import { TopBar } from './TopBar';
import { useLayerToggles } from './useLayerToggles';
import { useLivePicture } from './useLivePicture';
import { useMapSelection } from './useMapSelection';
import { useMapTools } from './useMapTools';
import { usePictureBanner } from './usePictureBanner';
import { useSelectedTrack } from './useSelectedTrack';
import { useServerConfig } from './useServerConfig';

const NO_PREVIEW: PreviewFeature[] = [];
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
  const config = useServerConfig();
  const mapRef = useRef<MapHandle>(null);
  const toggles = useLayerToggles();
  const { visible, deferredQuery, incidentsVisible, convoysVisible } = toggles;
  const picture = useLivePicture(me.username, deferredQuery, onSessionEnded);
  const { store, tracks, alerts, incidentStore, incidentState, aid, live, loadError } = picture;
  const { zones, byId, markingText, loaded } = picture.zoneState;
  const route = useRoute();
  // What a page other than the map shows: the banner covers it instead of the map's contents.
  const [pageMarkings, setPageMarkings] = useState<readonly Marking[]>(NO_MARKINGS);
  const selection = useMapSelection(alerts, mapRef);
  const { selectedId, selectedTrackId, alertsPanel, closeAlerts, selectZone, selectTrack } = selection;
  const { selectedTrack, trail, trailOnMap, trailMarkings } = useSelectedTrack(tracks.byId, selectedTrackId);
  const [historyMarkings, setHistoryMarkings] = useState<Marking[]>([]);
  const canEdit = hasPermission(me.roles, 'zones:write');
  const editor = useZoneEditor({ store, select: selectZone });
  const { setLayersOpen } = selection;
  const tools = useMapTools(
    editor,
    useCallback(() => setLayersOpen(false), [setLayersOpen]),
  );
  const { measuring, setMeasuring } = tools;
  const [preview, setPreview] = useState<PreviewFeature[]>(NO_PREVIEW);
  const step = editor.state.step;
  // Replay mode: the map shows a past window instead of the live picture (features/replay).
  const { clearSelection } = selection;
  const replayMode = useReplayMode(
    visible,
    deferredQuery,
    useCallback(() => {
      clearSelection();
      setMeasuring(false);
    }, [clearSelection, setMeasuring]),
  );
  const { replay, scene: replayScene } = replayMode;

  const shown = useMemo(() => filterZones(zones, visible, deferredQuery), [zones, visible, deferredQuery]);
  const counts = useMemo(() => countByKind(zones), [zones]);
  const convoys = useConvoys(convoysVisible && !replay.open);
  const onMap = route.page === 'map';
  const bannerText = usePictureBanner({
    onMap,
    pageMarkings,
    zones,
    zonesText: markingText,
    trackCount: tracks.tracks.length,
    trackMarking: tracks.marking,
    historyMarkings,
    trailMarkings,
    alertsOpen: alertsPanel.open,
    alertCount: alerts.alerts.length,
    alertMarking: alerts.marking,
    replayOpen: replay.open,
    replayMarkings: replayMode.markings,
    incidentsVisible,
    incidents: incidentState.incidents,
    convoyMarkings: convoys.markings,
    aidMarkings: aid.markings,
  });

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
  const sheet = panel !== 'none' ? panel : selection.layersOpen ? 'layers' : 'none';

  return (
    <div className="shell">
      <ClassificationBanner text={bannerText} position="top" />
      <TopBar
        me={me}
        route={route}
        live={live}
        onLogout={onLogout}
        layersOpen={selection.layersOpen}
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
          aidStore={aid.store}
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
        <LayerSheet
          toggles={toggles}
          counts={counts}
          shown={shown}
          total={zones.length}
          selectedId={selectedId}
          onPick={selection.pick}
          incidentCount={incidentState.incidents.length}
          aid={aid}
          convoyCount={convoys.count}
          tracks={tracks}
          selectedTrackId={selectedTrackId}
          onPickTrack={selection.pickTrack}
        />
        <div className="workspace__map">
          <MapView
            ref={mapRef}
            zones={replayMode.zones ?? shown}
            selectedId={selectedId}
            onSelect={selectZone}
            tracks={tracks.shown}
            subscribeTrackMoves={tracks.store.subscribeMoves}
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
          <MapNotices
            measuring={measuring}
            measured={tools.measured}
            editor={editor}
            replayZonesFailed={replayMode.zonesFailed}
            loadError={loaded ? null : loadError}
          />
        </div>
        <DetailsSheet
          me={me}
          mapRef={mapRef}
          editing={editing}
          editor={editor}
          editedZone={editedId ? byId.get(editedId) : undefined}
          onPreview={setPreview}
          alerts={alerts}
          alertsPanel={alertsPanel}
          selectedTrackId={selectedTrackId}
          selectedTrack={selectedTrack}
          trail={trail}
          selectedId={selectedId}
          selectedZone={selectedZone}
          onClose={selection.closeDetails}
          onHistoryMarkings={setHistoryMarkings}
          canEdit={canEdit}
          onBeforeEdit={() => setMeasuring(false)}
        />
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
