import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { CotRead, CotReader } from './cot-reader.js';

/**
 * A TAK client's connection as its stream sees it: CoT already read (CotReader) in, bytes out.
 * A TLS client is a RelayedSocket, read and encrypted in the relay's worker thread
 * (tls-relay.ts); a plain TCP client is a PlainTakSocket, read here.
 */
export interface TakSocket {
  readonly destroyed: boolean;
  readonly writable: boolean;
  /** Bytes written but not yet on the network. */
  readonly writableLength: number;
  write(data: string | Buffer): boolean;
  end(): void;
  destroy(): void;
  /** No 'read' until resumed; a new connection starts paused. */
  pause(): void;
  resume(): void;
  on(event: 'read', listener: (read: CotRead) => void): this;
  on(event: 'close', listener: () => void): this;
  once(event: 'close', listener: () => void): this;
}

/** A plain TCP client (a trusted network): read on this thread. */
export class PlainTakSocket extends EventEmitter implements TakSocket {
  constructor(
    private readonly socket: Socket,
    reader: CotReader,
  ) {
    super();
    socket.pause();
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => this.emit('read', reader.read(chunk, Date.now())));
    socket.once('close', () => this.emit('close'));
  }

  get destroyed(): boolean {
    return this.socket.destroyed;
  }
  get writable(): boolean {
    return this.socket.writable;
  }
  get writableLength(): number {
    return this.socket.writableLength;
  }
  write(data: string | Buffer): boolean {
    return this.socket.write(data);
  }
  end(): void {
    this.socket.end();
  }
  destroy(): void {
    this.socket.destroy();
  }
  pause(): void {
    this.socket.pause();
  }
  resume(): void {
    this.socket.resume();
  }
}
