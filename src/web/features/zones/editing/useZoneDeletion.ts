import { useCallback, useState } from 'react';
import type { ZoneFeature } from '../../../../domain/zones';
import { t } from '../../../i18n/t';
import type { ZoneStore } from '../zoneStore';
import { conflictVersion, writableZone, zonesWrite } from './editApi';
import type { Notice } from './useNotice';

export type DeleteState = {
  zone: ZoneFeature;
  busy: boolean;
  error: string | null;
  conflict: number | null;
} | null;

interface Options {
  store: ZoneStore;
  show(text: string, undo?: ZoneFeature | null): void;
  /** A zone written by this client: shown and selected. */
  landed(f: ZoneFeature): void;
  /** The zone is gone: close what showed it. */
  deleted(): void;
}

/**
 * Delete with a confirmation naming the zone and the version being retired, then Undo for a few
 * seconds, which creates the zone again (a new zone: the retired one stays in its history).
 */
export function useZoneDeletion({ store, show, landed, deleted }: Options) {
  const [deleting, setDeleting] = useState<DeleteState>(null);

  const requestDelete = useCallback((zone: ZoneFeature) => {
    setDeleting({ zone, busy: false, error: null, conflict: null });
  }, []);

  const cancelDelete = useCallback(() => setDeleting(null), []);

  const reloadForDelete = useCallback(async () => {
    if (!deleting) return;
    try {
      const latest = await zonesWrite.get(String(deleting.zone.id));
      store.upsertLocal(latest);
      setDeleting({ zone: latest, busy: false, error: null, conflict: null });
    } catch (e) {
      setDeleting((d) => (d ? { ...d, error: e instanceof Error ? e.message : String(e) } : d));
    }
  }, [deleting, store]);

  const confirmDelete = useCallback(async () => {
    if (!deleting || deleting.busy) return;
    const zone = deleting.zone;
    setDeleting({ ...deleting, busy: true, error: null });
    try {
      await zonesWrite.remove(String(zone.id), zone.properties.version);
      setDeleting(null);
      store.removeLocal(String(zone.id));
      deleted();
      show(t('editor.deleted', { name: zone.properties.name }), zone);
    } catch (e) {
      const conflict = conflictVersion(e);
      setDeleting((d) =>
        d
          ? {
              ...d,
              busy: false,
              conflict,
              error: conflict === null ? (e instanceof Error ? e.message : String(e)) : null,
            }
          : d,
      );
    }
  }, [deleting, store, deleted, show]);

  const undoDelete = useCallback(
    async (notice: Notice | null, dismiss: () => void) => {
      const zone = notice?.undo;
      if (!zone) return;
      dismiss();
      try {
        const again = await zonesWrite.create(writableZone(zone));
        landed(again);
        show(t('editor.recreated', { name: again.properties.name }));
      } catch (e) {
        show(t('editor.undoFailed', { detail: e instanceof Error ? e.message : String(e) }));
      }
    },
    [landed, show],
  );

  return { deleting, requestDelete, cancelDelete, reloadForDelete, confirmDelete, undoDelete };
}
