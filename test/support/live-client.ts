import WebSocket from 'ws';
import type { LiveServerMessage } from '../../src/domain/events.js';

export type ServerMessage = LiveServerMessage;
type Of<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

export interface LiveConnectOptions {
  cookie?: string;
  token?: string;
  /** Appended to the URL as ?access_token=. */
  queryToken?: string;
  origin?: string;
}

/**
 * A real WebSocket client on /api/v1/live that records every message it receives, raw and
 * parsed, so tests can wait for one and afterwards check everything that arrived.
 */
export class LiveClient {
  readonly messages: ServerMessage[] = [];
  /** The frames as received, batches not unpacked. */
  readonly frames: ServerMessage[] = [];
  readonly raw: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  closeInfo: { code: number; reason: string } | null = null;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      const text = data.toString();
      this.raw.push(text);
      const msg = JSON.parse(text) as ServerMessage;
      this.frames.push(msg);
      // A batch is its changes in order: tests look at messages, whatever frames carried them.
      if (msg.type === 'batch') this.messages.push(...msg.messages);
      else this.messages.push(msg);
      this.notify();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
        this.notify();
      });
    });
    ws.on('error', () => undefined);
  }

  /** Opens the socket; resolves once the connection is open (the welcome may follow). */
  static connect(baseUrl: string, opts: LiveConnectOptions = {}): Promise<LiveClient> {
    const url = new URL('/api/v1/live', baseUrl.replace(/^http/, 'ws'));
    if (opts.queryToken) url.searchParams.set('access_token', opts.queryToken);
    const headers: Record<string, string> = {};
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const ws = new WebSocket(url, { headers, ...(opts.origin ? { origin: opts.origin } : {}) });
    const client = new LiveClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`handshake refused with HTTP ${res.statusCode}`)),
      );
      ws.once('error', reject);
    });
  }

  /** Connects, waits for the welcome, subscribes and waits for one snapshot per layer. */
  static async subscribed(
    baseUrl: string,
    opts: LiveConnectOptions,
    sub: { layers?: string[]; bbox?: [number, number, number, number]; since?: string } = {},
  ): Promise<LiveClient> {
    const c = await LiveClient.connect(baseUrl, opts);
    await c.waitFor('welcome');
    c.send({ type: 'subscribe', layers: sub.layers ?? ['zones'], ...sub });
    if (sub.since === undefined) await c.waitFor('snapshot');
    return c;
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /**
   * The first message at index ≥ `from` of that type matching `pred`; waits up to `timeoutMs`.
   * Returns the message and its index.
   */
  async waitFor<T extends ServerMessage['type']>(
    type: T,
    pred: (m: Of<T>) => boolean = () => true,
    opts: { from?: number; timeoutMs?: number } = {},
  ): Promise<{ msg: Of<T>; index: number }> {
    const deadline = Date.now() + (opts.timeoutMs ?? 3000);
    let i = opts.from ?? 0;
    for (;;) {
      for (; i < this.messages.length; i++) {
        const m = this.messages[i]!;
        if (m.type === type && pred(m as Of<T>)) return { msg: m as Of<T>, index: i };
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.closeInfo) {
        throw new Error(
          `no ${type} message within ${opts.timeoutMs ?? 3000} ms${this.closeInfo ? ` (closed ${this.closeInfo.code})` : ''}; got ${this.messages
            .slice(opts.from ?? 0)
            .map((x) => x.type)
            .join(', ')}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Messages about one entity (upserts and deletes), from index `from` on. */
  about(id: string, from = 0): (Of<'upsert'> | Of<'delete'>)[] {
    return this.messages
      .slice(from)
      .filter(
        (m): m is Of<'upsert'> | Of<'delete'> => (m.type === 'upsert' || m.type === 'delete') && m.id === id,
      );
  }

  close(): Promise<{ code: number; reason: string }> {
    if (!this.closeInfo) this.ws.close();
    return this.closed;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
