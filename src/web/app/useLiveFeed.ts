import { useEffect, useRef, useState } from 'react';
import type { LiveServerMessage } from '../../domain/events';
import { LiveConnection, type LiveStatus } from './live';

/**
 * Keeps one live connection open while the component is mounted and `enabled`, and reports its
 * status ('connecting' until enabled).
 */
export function useLiveFeed(
  layers: readonly string[],
  onMessage: (msg: LiveServerMessage) => void,
  onUnauthenticated: () => void,
  enabled = true,
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  // Handlers change identity on re-render; the connection must not be rebuilt for that.
  const handlers = useRef({ onMessage, onUnauthenticated });
  useEffect(() => {
    handlers.current = { onMessage, onUnauthenticated };
  }, [onMessage, onUnauthenticated]);
  const key = layers.join(',');

  useEffect(() => {
    if (!enabled) return;
    const conn = new LiveConnection(key.split(','), {
      onMessage: (m) => handlers.current.onMessage(m),
      onStatus: setStatus,
      onUnauthenticated: () => handlers.current.onUnauthenticated(),
    });
    conn.start();
    return () => conn.stop();
  }, [key, enabled]);

  return status;
}
