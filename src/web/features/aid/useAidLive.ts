import { useEffect, useRef, useState } from 'react';
import { LiveConnection } from '../../app/live';

/** Several changes in a burst (an import, a closure's notices) give one refetch. */
const DEBOUNCE_MS = 600;

/**
 * A revision number that goes up, debounced, whenever one of the given live layers changes
 * (snapshots excepted: the page fetched what it shows just before). The aid pages fetch again on it.
 */
export function useAidLive(layers: readonly string[], enabled = true): number {
  const [revision, setRevision] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const key = layers.join(',');
  useEffect(() => {
    if (!enabled) return;
    const bump = () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => setRevision((r) => r + 1), DEBOUNCE_MS);
    };
    const conn = new LiveConnection(key.split(','), {
      onMessage: (m) => {
        if (m.type === 'upsert' || m.type === 'delete' || m.type === 'batch') bump();
      },
      onStatus: () => undefined,
      onUnauthenticated: () => undefined,
    });
    conn.start();
    return () => {
      conn.stop();
      if (timer.current) clearTimeout(timer.current);
    };
  }, [key, enabled]);
  return revision;
}
