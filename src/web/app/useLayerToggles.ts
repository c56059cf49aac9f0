import { useCallback, useDeferredValue, useState } from 'react';
import type { ZoneKind } from '../../domain/zones';
import { KIND_ORDER } from '../features/zones/kinds';

/** What the layer panel chose to show: zone kinds, the search, incidents and convoys on or off. */
export function useLayerToggles() {
  const [visible, setVisible] = useState<ReadonlySet<ZoneKind>>(() => new Set(KIND_ORDER));
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const [incidentsVisible, setIncidentsVisible] = useState(true);
  const [convoysVisible, setConvoysVisible] = useState(false);

  const toggleKind = useCallback((kind: ZoneKind) => {
    setVisible((prev) => {
      const next = new Set(prev);
      if (next.has(kind)) next.delete(kind);
      else next.add(kind);
      return next;
    });
  }, []);
  const showAllKinds = useCallback((show: boolean) => setVisible(new Set(show ? KIND_ORDER : [])), []);
  const toggleIncidents = useCallback(() => setIncidentsVisible((v) => !v), []);
  const toggleConvoys = useCallback(() => setConvoysVisible((v) => !v), []);

  return {
    visible,
    toggleKind,
    showAllKinds,
    query,
    setQuery,
    deferredQuery,
    incidentsVisible,
    toggleIncidents,
    convoysVisible,
    toggleConvoys,
  };
}

export type LayerToggles = ReturnType<typeof useLayerToggles>;
