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
import { MeasureResult } from '../features/measure/MeasureResult';
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

const LIVE_LAYERS = [ZONES_LAYER];
const NO_PREVIEW: PreviewFeature[] = [];
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
  const canEdit = hasPermission(me.roles, 'zones:write');
  const editor = useZoneEditor({ store, select: setSelectedId });
  const [measuring, setMeasuring] = useState(false);
  const [measured, setMeasured] = useState<number | null>(null);
  const [preview, setPreview] = useState<PreviewFeature[]>(NO_PREVIEW);
  const step = editor.state.step;

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

  // Escape closes the details; while editing it must not throw away a form or a drawing.
  const editing = step !== 'idle';
  useEffect(() => {
    if (editing) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) setSelectedId(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editing]);

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
  const panel = editing ? 'editor' : selectedId ? 'details' : 'none';
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
      />
      <main
        className="workspace"
        data-sheet={sheet}
        data-details={panel === 'none' ? 'closed' : 'open'}
        data-panel={step === 'import' ? 'wide' : 'normal'}
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
          />
        </aside>
        <div className="workspace__map">
          <MapView
            ref={mapRef}
            zones={shown}
            selectedId={selectedId}
            onSelect={setSelectedId}
            tileUrl={config?.tileUrl ?? null}
            tool={tool}
            draft={draft}
            preview={step === 'import' ? preview : NO_PREVIEW}
            callbacks={mapCallbacks}
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
          />
          {measuring && <MeasureResult metres={measured} />}
          {editor.notice && (
            <NoticeToast
              notice={editor.notice}
              onUndo={() => void editor.undoDelete()}
              onDismiss={editor.dismissNotice}
            />
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
        {!editing && selectedId && (
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
