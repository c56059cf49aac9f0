/**
 * What a TAK stream needs of its connection. A plain TCP client's `net.Socket` is one; a TLS
 * client is a RelayedSocket, whose TLS runs in the relay's worker thread (tls-relay.ts).
 */
export interface TakSocket {
  readonly destroyed: boolean;
  readonly writable: boolean;
  /** Bytes written but not yet on the network. */
  readonly writableLength: number;
  write(data: string | Buffer): boolean;
  end(): void;
  destroy(): void;
  pause(): void;
  resume(): void;
  setNoDelay(noDelay: boolean): void;
  setKeepAlive(enable: boolean, initialDelayMs: number): void;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'close', listener: () => void): this;
  once(event: 'close', listener: () => void): this;
}
