import { useCallback, useMemo, useState, useSyncExternalStore } from 'react';
import type { NotificationState } from '../../../domain/deconfliction';
import type { Marking } from '../../../domain/marking';
import { navigate, paths } from '../../app/router';
import type { MapAid } from '../../map/MapView';
import { AidStore } from './aidStore';

/** Finished notifications leave the map: it shows what is notified now or soon. */
const OFF_THE_MAP: readonly NotificationState[] = ['cancelled', 'completed', 'denied'];
const NO_MARKINGS: readonly Marking[] = [];
const openFacility = (id: string) => navigate(paths.facility(id));
const openNotification = (id: string) => navigate(paths.notification(id));

export type AidLayerName = 'facilities' | 'notifications';

/** The facilities and notified sites and routes of the map: their live store, toggles and banner markings. */
export function useAidMap() {
  const store = useMemo(() => new AidStore(), []);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [visible, setVisible] = useState({ facilities: true, notifications: true });
  const toggle = useCallback((which: AidLayerName) => setVisible((v) => ({ ...v, [which]: !v[which] })), []);
  const onMap = useMemo(
    () => state.notifications.filter((n) => !OFF_THE_MAP.includes(n.properties.state)),
    [state.notifications],
  );
  const map: MapAid = useMemo(
    () => ({
      facilities: state.facilities,
      notifications: onMap,
      visible,
      onSelectFacility: openFacility,
      onSelectNotification: openNotification,
    }),
    [state.facilities, onMap, visible],
  );
  const markings = useMemo(() => {
    const shown = [...(visible.facilities ? state.facilities : []), ...(visible.notifications ? onMap : [])];
    return shown.length ? shown.map((f) => f.properties.marking) : NO_MARKINGS;
  }, [visible, state.facilities, onMap]);
  return { store, state, visible, toggle, map, markings, notificationCount: onMap.length };
}
