import { useEffect, useRef, useState } from 'react';
import type { LiveServerMessage } from '../../domain/events';
import { claimEarlyLive } from './earlyLive';
import { LiveConnection, type LiveHandlers, type LiveStatus } from './live';

/**
 * Keeps one live connection open while the component is mounted and reports its status; the
 * subscription is sent once `subscribeAfter` settles (the socket connects meanwhile).
 */
export function useLiveFeed(
  layers: readonly string[],
  onMessage: (msg: LiveServerMessage) => void,
  onUnauthenticated: () => void,
  subscribeAfter?: Promise<unknown>,
  /** Whose picture this is: the connection opened as the page loaded is taken over if it is theirs. */
  user?: string,
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  // Handlers change identity on re-render; the connection must not be rebuilt for that.
  const handlers = useRef({ onMessage, onUnauthenticated });
  useEffect(() => {
    handlers.current = { onMessage, onUnauthenticated };
  }, [onMessage, onUnauthenticated]);
  const key = layers.join(',');

  useEffect(() => {
    const layers = key.split(',');
    const target: LiveHandlers = {
      onMessage: (m) => handlers.current.onMessage(m),
      onStatus: setStatus,
      onUnauthenticated: () => handlers.current.onUnauthenticated(),
    };
    const early = user !== undefined && !subscribeAfter ? claimEarlyLive(layers, user, target) : null;
    const conn = early ?? new LiveConnection(layers, target, undefined, subscribeAfter);
    if (!early) conn.start();
    return () => conn.stop();
  }, [key, subscribeAfter, user]);

  return status;
}
