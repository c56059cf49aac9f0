import type { LiveClientMessage, LiveServerMessage } from '../../domain/events';
import { milestone } from './milestones';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveHandlers {
  onMessage(msg: LiveServerMessage): void;
  onStatus(status: LiveStatus): void;
  /** The server refused the session (close code 4401): the user must sign in again. */
  onUnauthenticated(): void;
}

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 10_000;
/** Close code the server uses for an unauthenticated socket. */
const CLOSE_UNAUTHENTICATED = 4401;
/** Without any message for this many heartbeat periods the connection is presumed dead. */
const SILENCE_FACTOR = 2.5;

export function liveUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api/v1/live`;
}

/**
 * One WebSocket to `/api/v1/live` that stays open: it subscribes to the given layers, remembers the
 * last event id, and after any drop reconnects with exponential backoff (1 s → 10 s), asking to resume
 * `since` that id so that nothing is missed in between.
 */
export class LiveConnection {
  private socket: WebSocket | null = null;
  private lastEventId: string | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private silenceTimer: ReturnType<typeof setTimeout> | null = null;
  private silenceMs = 15_000 * SILENCE_FACTOR;
  private stopped = false;

  constructor(
    private readonly layers: readonly string[],
    private readonly handlers: LiveHandlers,
    private readonly url: string = liveUrl(),
    /** The subscription waits for this (the socket opens and authenticates meanwhile). */
    private readonly subscribeAfter: Promise<unknown> = Promise.resolve(),
  ) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const s = this.socket;
    this.socket = null;
    s?.close(1000, 'client closed');
    this.handlers.onStatus('offline');
  }

  private open(): void {
    this.handlers.onStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = ws;
    ws.onmessage = (ev) => {
      if (this.socket !== ws || typeof ev.data !== 'string') return;
      this.armSilenceTimer();
      let msg: LiveServerMessage;
      try {
        msg = JSON.parse(ev.data) as LiveServerMessage;
      } catch {
        return;
      }
      this.onMessage(ws, msg);
    };
    ws.onclose = (ev) => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.clearTimers();
      if (ev.code === CLOSE_UNAUTHENTICATED) {
        this.stopped = true;
        this.handlers.onStatus('offline');
        this.handlers.onUnauthenticated();
        return;
      }
      this.scheduleReconnect();
    };
    // An error is always followed by close, where the reconnect happens.
    ws.onerror = () => undefined;
  }

  private onMessage(ws: WebSocket, msg: LiveServerMessage): void {
    switch (msg.type) {
      case 'batch':
        // Changes queued together on the server: each is handled as if it had come alone.
        for (const m of msg.messages) this.onMessage(ws, m);
        return;
      case 'welcome': {
        milestone('live welcome');
        this.silenceMs = Math.max(5_000, msg.heartbeatMs * SILENCE_FACTOR);
        this.armSilenceTimer();
        const sub: LiveClientMessage = { type: 'subscribe', layers: [...this.layers], moves: true };
        if (this.lastEventId) sub.since = this.lastEventId;
        const send = () => {
          if (this.socket === ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(sub));
        };
        void this.subscribeAfter.then(send, send);
        // Open and authenticated: the session is live even if a resume has nothing to replay.
        this.attempt = 0;
        this.handlers.onStatus('live');
        break;
      }
      case 'snapshot':
        milestone(`${msg.layer} snapshot`);
        this.lastEventId = msg.lastEventId;
        break;
      case 'upsert':
      case 'delete':
        // Track movements carry no event id: they are not replayed, the tracks snapshot is resent.
        if (msg.eventId) this.lastEventId = msg.eventId;
        break;
      // A heartbeat's lastEventId is not adopted: it may run ahead of updates still queued for us,
      // and resuming from it could skip them. Resuming from an older id only replays a little more.
      default:
        break;
    }
    this.handlers.onMessage(msg);
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.handlers.onStatus('reconnecting');
    const base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** this.attempt);
    // Jitter keeps many clients from reconnecting in lockstep after a server restart.
    const delay = Math.round(base * (0.8 + Math.random() * 0.2));
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.open();
    }, delay);
  }

  private armSilenceTimer(): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => {
      // A half-open TCP connection may take minutes to fire close: drop it and reconnect now.
      const dead = this.socket;
      this.socket = null;
      dead?.close(4000, 'no heartbeat');
      this.clearTimers();
      this.scheduleReconnect();
    }, this.silenceMs);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.retryTimer = null;
    this.silenceTimer = null;
  }
}
