import { EventEmitter } from 'node:events';
import type { CotRead } from './cot-reader.js';
import type { TakSocket } from './tak-socket.js';
import type { Outbox } from './tls-relay-outbox.js';

/**
 * A TAK client's TLS connection as the main thread sees it: CoT already read (by the worker's
 * CotReader) in, plaintext out. Writes leave at the end of this turn of the event loop.
 */
export class RelayedSocket extends EventEmitter implements TakSocket {
  destroyed = false;
  writable = true;
  /** Bytes handed to the worker that it has not yet reported taking. */
  private inFlight = 0;
  /** What the worker's socket still held at its last report. */
  private remote = 0;
  private paused = true;
  private held: { read: CotRead; bytes: number }[] = [];
  /** The worker's socket closed; what it read before is still delivered first. */
  private gone = false;

  constructor(
    readonly id: number,
    private readonly relay: Outbox,
  ) {
    super();
  }

  get writableLength(): number {
    return this.inFlight + this.remote;
  }

  write(data: string | Buffer): boolean {
    if (!this.writable) return false;
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    this.inFlight += bytes.length;
    this.relay.write(this.id, bytes);
    return true;
  }

  end(): void {
    if (!this.writable) return;
    this.writable = false;
    this.relay.op({ t: 'end', id: this.id });
  }

  destroy(): void {
    if (this.destroyed) return;
    this.relay.op({ t: 'destroy', id: this.id });
    this.closed();
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.relay.op({ t: 'pause', id: this.id });
  }

  resume(): void {
    if (!this.paused || this.destroyed) return;
    this.paused = false;
    this.relay.op({ t: 'resume', id: this.id });
    this.deliver();
  }

  /** From the worker: what some of its reads came to. */
  received(read: CotRead, bytes: number): void {
    if (this.destroyed) return;
    this.held.push({ read, bytes });
    this.deliver();
  }

  /** In order; what comes while paused (read before the worker heard of it) waits for resume. */
  private deliver(): void {
    while (this.held.length && !this.paused && !this.destroyed) {
      const { read, bytes } = this.held.shift()!;
      this.relay.consumed(this.id, bytes);
      this.emit('read', read);
    }
    if (this.gone && !this.held.length) this.closed();
  }

  acknowledged(taken: number, buffered: number): void {
    this.inFlight -= taken;
    this.remote = buffered;
  }

  /** From the worker: the client went. As with a socket, its last bytes are read before 'close'. */
  remoteClosed(): void {
    this.gone = true;
    this.writable = false;
    this.deliver();
  }

  /** Gone at once, unread bytes and all (the relay stopped, or this side destroyed it). */
  closed(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.writable = false;
    this.held = [];
    // As a net.Socket does, after the current turn.
    setImmediate(() => this.emit('close'));
  }
}
