import { useCallback, useMemo, useState } from 'react';
import type { ZoneEditor } from '../features/zones/editing/useZoneEditor';
import type { MapDraft, MapTool } from '../map/MapView';

/**
 * The map's one active tool — measuring, drawing or modifying a zone — derived from the zone
 * editor's step and the measure toggle, with the toolbar's actions. `closePanels` hides the
 * layer sheet on phones when a tool starts.
 */
export function useMapTools(editor: ZoneEditor, closePanels: () => void) {
  const [measuring, setMeasuring] = useState(false);
  const [measured, setMeasured] = useState<number | null>(null);
  const s = editor.state;
  const step = s.step;

  const toggleMeasure = useCallback(() => {
    setMeasuring((m) => !m);
    setMeasured(null);
  }, []);
  const startDraw = useCallback(() => {
    setMeasuring(false);
    closePanels();
    if (step === 'idle' || step === 'import') editor.startChoose();
    else if (step === 'choose' || step === 'drawing') editor.cancel();
  }, [step, editor, closePanels]);
  const startImport = useCallback(() => {
    closePanels();
    if (step === 'import') editor.cancel();
    else editor.startImport();
  }, [step, editor, closePanels]);

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
  const callbacks = useMemo(
    () => ({
      onDrawn: editor.drawn,
      onDrawCancel: editor.drawCancelled,
      onDraftChange: editor.draftChanged,
      onMeasure: setMeasured,
    }),
    [editor.drawn, editor.drawCancelled, editor.draftChanged],
  );
  return { measuring, setMeasuring, measured, toggleMeasure, startDraw, startImport, tool, draft, callbacks };
}
