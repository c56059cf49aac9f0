import type { LiveServerMessage } from '../../domain/events';
import { LiveConnection, type LiveHandlers, type LiveStatus } from './live';

/** A picture not taken over by then is not coming (the sign-in page is showing): close the socket. */
const UNCLAIMED_MS = 10_000;

interface Early {
  key: string;
  conn: LiveConnection;
  /** Who the server said the socket is for (its welcome). */
  user: string | null;
  status: LiveStatus;
  held: LiveServerMessage[];
  target: LiveHandlers | null;
  refused: boolean;
  timer: ReturnType<typeof setTimeout>;
}

let early: Early | null = null;

/**
 * Opens the live feed as the scripts run, alongside the session check rather than after it: the
 * snapshots of the first picture (10,000 tracks take the server a few hundred ms) are then on their
 * way while the page boots. Messages are held until the picture takes the connection over
 * (`claimEarlyLive`). Without a session the server refuses the socket and nothing is held.
 */
export function openEarlyLive(layers: readonly string[]): void {
  if (early || typeof WebSocket === 'undefined') return;
  const handlers: LiveHandlers = {
    onMessage: (m) => {
      if (!e.target && m.type === 'welcome') e.user = m.user;
      if (e.target) e.target.onMessage(m);
      else e.held.push(m);
    },
    onStatus: (s) => {
      e.status = s;
      e.target?.onStatus(s);
    },
    onUnauthenticated: () => {
      if (e.target) e.target.onUnauthenticated();
      else drop(e);
    },
  };
  const conn = new LiveConnection(layers, handlers);
  const e: Early = {
    key: layers.join(','),
    conn,
    user: null,
    status: 'connecting',
    held: [],
    target: null,
    refused: false,
    timer: setTimeout(() => drop(e), UNCLAIMED_MS),
  };
  early = e;
  conn.start();
}

function drop(e: Early): void {
  clearTimeout(e.timer);
  e.refused = true;
  e.held = [];
  if (early === e) early = null;
  e.conn.stop();
}

/**
 * Hands the early connection to the picture when it subscribed to the same layers and the server
 * welcomed it as `user` (the session check and the socket could disagree after a sign-in in
 * between): what it held is delivered first. Otherwise it is closed and null returned.
 */
export function claimEarlyLive(
  layers: readonly string[],
  user: string,
  target: LiveHandlers,
): LiveConnection | null {
  const e = early;
  if (!e) return null;
  early = null;
  clearTimeout(e.timer);
  if (e.refused || e.key !== layers.join(',') || (e.user !== null && e.user !== user)) {
    drop(e);
    return null;
  }
  // Not yet welcomed: the socket is not known to be this user's, so a later welcome is checked too.
  if (e.user === null) {
    const onMessage = target.onMessage;
    target = {
      ...target,
      onMessage: (m) => {
        if (m.type === 'welcome' && m.user !== user) {
          drop(e);
          target.onStatus('offline');
          target.onUnauthenticated();
          return;
        }
        onMessage(m);
      },
    };
  }
  e.target = target;
  target.onStatus(e.status);
  const held = e.held;
  e.held = [];
  for (const m of held) target.onMessage(m);
  return e.conn;
}
