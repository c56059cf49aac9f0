import { useCallback, useState } from 'react';
import { type Geometry, validateGeometry } from '../../../../domain/geometry';
import { ZONE_GEOMETRY, ZONE_KINDS, type ZoneFeature, type ZoneKind } from '../../../../domain/zones';
import { t } from '../../../i18n/t';
import type { ZoneStore } from '../zoneStore';
import { conflictVersion, writableZone, zonesWrite } from './editApi';
import { useNotice } from './useNotice';
import { useZoneDeletion } from './useZoneDeletion';
import type { ZoneFormValues } from './ZoneForm';
import { type DrawableType, drawableTypes, toWrite } from './zoneValues';

export type { Notice } from './useNotice';
export type { DeleteState } from './useZoneDeletion';
export type { DrawableType } from './zoneValues';

export type EditorState =
  | { step: 'idle' }
  | { step: 'choose'; kind: ZoneKind; geometryType: DrawableType }
  | { step: 'drawing'; kind: ZoneKind; geometryType: DrawableType; problem: string | null }
  | { step: 'create'; kind: ZoneKind; geometry: Geometry }
  | { step: 'edit-details'; zone: ZoneFeature; conflict: number | null; refusals: number; reloaded: boolean }
  | {
      step: 'edit-geometry';
      zone: ZoneFeature;
      geometry: Geometry;
      conflict: number | null;
      refusals: number;
      reloaded: boolean;
      error: string | null;
      busy: boolean;
    }
  | { step: 'import' };

function inForceNow(f: ZoneFeature): boolean {
  const now = Date.now();
  const from = Date.parse(f.properties.validFrom);
  const to = f.properties.validTo ? Date.parse(f.properties.validTo) : Number.POSITIVE_INFINITY;
  return from <= now && now < to;
}

interface Options {
  store: ZoneStore;
  select(id: string | null): void;
}

/**
 * The state of zone editing: choosing a kind, drawing, the create and edit forms, geometry edits,
 * deletion with undo, and the import panel. API calls happen here; the panels only render.
 */
export function useZoneEditor({ store, select }: Options) {
  const [state, setState] = useState<EditorState>({ step: 'idle' });
  const { notice, show, dismiss } = useNotice();
  const landed = useCallback(
    (f: ZoneFeature) => {
      if (inForceNow(f)) {
        store.upsertLocal(f);
        select(String(f.id));
      }
    },
    [store, select],
  );

  const cancel = useCallback(() => setState({ step: 'idle' }), []);

  const startChoose = useCallback(() => {
    const kind = ZONE_KINDS[0];
    setState({ step: 'choose', kind, geometryType: drawableTypes(kind)[0] ?? 'Polygon' });
  }, []);

  const chooseKind = useCallback((kind: ZoneKind) => {
    setState((s) => {
      if (s.step !== 'choose') return s;
      const types = drawableTypes(kind);
      return {
        ...s,
        kind,
        geometryType: types.includes(s.geometryType) ? s.geometryType : (types[0] ?? 'Polygon'),
      };
    });
  }, []);

  const chooseGeometry = useCallback((geometryType: DrawableType) => {
    setState((s) => (s.step === 'choose' ? { ...s, geometryType } : s));
  }, []);

  const startDrawing = useCallback(() => {
    setState((s) =>
      s.step === 'choose'
        ? { step: 'drawing', kind: s.kind, geometryType: s.geometryType, problem: null }
        : s,
    );
  }, []);

  const drawn = useCallback((geometry: Geometry) => {
    setState((s) => {
      if (s.step !== 'drawing') return s;
      const check = validateGeometry(geometry, ZONE_GEOMETRY[s.kind]);
      if (!check.ok) {
        const first = check.problems[0];
        return { ...s, problem: first ? `${first.path} ${first.message}` : t('draw.invalid') };
      }
      return { step: 'create', kind: s.kind, geometry: check.geometry };
    });
  }, []);

  const drawCancelled = useCallback(() => {
    setState((s) =>
      s.step === 'drawing' ? { step: 'choose', kind: s.kind, geometryType: s.geometryType } : s,
    );
  }, []);

  const draftChanged = useCallback((geometry: Geometry) => {
    setState((s) => (s.step === 'create' || s.step === 'edit-geometry' ? { ...s, geometry } : s));
  }, []);

  const setKind = useCallback((kind: ZoneKind) => {
    setState((s) => (s.step === 'create' ? { ...s, kind } : s));
  }, []);

  const submitCreate = useCallback(
    async (values: ZoneFormValues) => {
      if (state.step !== 'create') return;
      const created = await zonesWrite.create(toWrite(values, state.geometry));
      setState({ step: 'idle' });
      landed(created);
      show(t('editor.created', { name: created.properties.name }));
    },
    [state, landed, show],
  );

  const startEditDetails = useCallback((zone: ZoneFeature) => {
    setState({ step: 'edit-details', zone, conflict: null, refusals: 0, reloaded: false });
  }, []);

  const startEditGeometry = useCallback((zone: ZoneFeature) => {
    setState({
      step: 'edit-geometry',
      zone,
      geometry: zone.geometry as Geometry,
      conflict: null,
      refusals: 0,
      reloaded: false,
      error: null,
      busy: false,
    });
  }, []);

  const submitEdit = useCallback(
    async (values: ZoneFormValues) => {
      if (state.step !== 'edit-details') return;
      const zone = state.zone;
      try {
        const saved = await zonesWrite.update(
          String(zone.id),
          zone.properties.version,
          toWrite(values, zone.geometry as Geometry, zone),
        );
        setState({ step: 'idle' });
        landed(saved);
        show(t('editor.saved', { name: saved.properties.name, version: saved.properties.version }));
      } catch (e) {
        const conflict = conflictVersion(e);
        if (conflict === null) throw e;
        setState((s) => (s.step === 'edit-details' ? { ...s, conflict, refusals: s.refusals + 1 } : s));
      }
    },
    [state, landed, show],
  );

  const saveGeometry = useCallback(async () => {
    if (state.step !== 'edit-geometry') return;
    const { zone, geometry } = state;
    const check = validateGeometry(geometry, ZONE_GEOMETRY[zone.properties.kind]);
    if (!check.ok) {
      const first = check.problems[0];
      setState({ ...state, error: first ? `${first.path} ${first.message}` : t('draw.invalid') });
      return;
    }
    setState({ ...state, busy: true, error: null });
    try {
      const saved = await zonesWrite.update(String(zone.id), zone.properties.version, {
        ...writableZone(zone),
        geometry,
      });
      setState({ step: 'idle' });
      landed(saved);
      show(t('editor.saved', { name: saved.properties.name, version: saved.properties.version }));
    } catch (e) {
      const conflict = conflictVersion(e);
      setState((s) =>
        s.step === 'edit-geometry'
          ? {
              ...s,
              busy: false,
              conflict,
              refusals: conflict === null ? s.refusals : s.refusals + 1,
              error: conflict === null ? (e instanceof Error ? e.message : String(e)) : null,
            }
          : s,
      );
    }
  }, [state, landed, show]);

  const deletion = useZoneDeletion({
    store,
    show,
    landed,
    deleted: useCallback(() => {
      setState({ step: 'idle' });
      select(null);
    }, [select]),
  });

  /** After a conflict: the version in force now replaces what the form or the draft started from. */
  const reload = useCallback(async () => {
    if (state.step !== 'edit-details' && state.step !== 'edit-geometry') return;
    try {
      const latest = await zonesWrite.get(String(state.zone.id));
      store.upsertLocal(latest);
      setState((s) => {
        if (s.step === 'edit-details') return { ...s, zone: latest, conflict: null, reloaded: true };
        if (s.step === 'edit-geometry')
          return {
            ...s,
            zone: latest,
            geometry: latest.geometry as Geometry,
            conflict: null,
            reloaded: true,
            error: null,
          };
        return s;
      });
    } catch (e) {
      show(t('editor.reloadFailed', { detail: e instanceof Error ? e.message : String(e) }));
    }
  }, [state, store, show]);

  return {
    state,
    notice,
    dismissNotice: dismiss,
    ...deletion,
    undoDelete: () => deletion.undoDelete(notice, dismiss),
    cancel,
    startChoose,
    chooseKind,
    chooseGeometry,
    startDrawing,
    drawn,
    drawCancelled,
    draftChanged,
    setKind,
    submitCreate,
    startEditDetails,
    startEditGeometry,
    submitEdit,
    saveGeometry,
    reload,
    startImport: () => setState({ step: 'import' }),
  };
}

export type ZoneEditor = ReturnType<typeof useZoneEditor>;
