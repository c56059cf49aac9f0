import { useEffect, useRef, useState } from 'react';
import type { LiveServerMessage } from '../../domain/events';
import { LiveConnection, type LiveStatus } from './live';

/**
 * Keeps one live connection open while the component is mounted and reports its status; the
 * subscription is sent once `subscribeAfter` settles (the socket connects meanwhile).
 */
export function useLiveFeed(
  layers: readonly string[],
  onMessage: (msg: LiveServerMessage) => void,
  onUnauthenticated: () => void,
  subscribeAfter?: Promise<unknown>,
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  // Handlers change identity on re-render; the connection must not be rebuilt for that.
  const handlers = useRef({ onMessage, onUnauthenticated });
  useEffect(() => {
    handlers.current = { onMessage, onUnauthenticated };
  }, [onMessage, onUnauthenticated]);
  const key = layers.join(',');

  useEffect(() => {
    const conn = new LiveConnection(
      key.split(','),
      {
        onMessage: (m) => handlers.current.onMessage(m),
        onStatus: setStatus,
        onUnauthenticated: () => handlers.current.onUnauthenticated(),
      },
      undefined,
      subscribeAfter,
    );
    conn.start();
    return () => conn.stop();
  }, [key, subscribeAfter]);

  return status;
}
