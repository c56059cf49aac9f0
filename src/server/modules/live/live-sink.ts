import type { WebSocket } from 'ws';
import type { LiveServerMessage } from '../../../domain/events.js';
import { changeTexts, type Outgoing } from './prepared.js';

/**
 * Where a subscriber's messages go: a browser's WebSocket, or a TAK client's CoT stream that
 * translates them. The hub filters and coalesces; the sink only delivers.
 */
export interface LiveSink {
  readonly open: boolean;
  /** Bytes accepted but not yet written to the network: the hub holds back above its high-water mark. */
  readonly bufferedAmount: number;
  send(msg: LiveServerMessage): void;
  /**
   * Sends queued changes, already serialised, in one frame where the protocol allows (a `batch`);
   * a sink without it gets them one by one through send().
   */
  sendChanges?(changes: readonly Outgoing[]): void;
  close(code: number, reason: string): void;
  /** Called every heartbeat; false when the peer stopped answering (the hub then forgets it). */
  heartbeat(msg: LiveServerMessage): boolean;
}

/** A browser or API client on /api/v1/live: JSON messages, WebSocket ping/pong for liveness. */
export class WebSocketSink implements LiveSink {
  private alive = true;
  constructor(private readonly socket: WebSocket) {
    socket.on('pong', () => {
      this.alive = true;
    });
  }
  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }
  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }
  send(msg: LiveServerMessage): void {
    if (this.open) this.socket.send(JSON.stringify(msg));
  }
  /** One frame and one write however many changes: a write per change costs more than the change. */
  sendChanges(changes: readonly Outgoing[]): void {
    if (!this.open) return;
    const texts = changeTexts(changes);
    if (texts.length === 1) this.socket.send(texts[0]!);
    else this.socket.send(`{"type":"batch","messages":[${texts.join(',')}]}`);
  }
  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }
  heartbeat(msg: LiveServerMessage): boolean {
    if (!this.alive) {
      this.socket.terminate();
      return false;
    }
    this.alive = false;
    this.socket.ping();
    this.send(msg);
    return true;
  }
}
