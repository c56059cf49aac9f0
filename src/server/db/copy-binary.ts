import type pg from 'pg';

/**
 * Rows in PostgreSQL's binary COPY format, written straight into one growing buffer: numbers and
 * times go as their 8 bytes instead of being printed as text here and parsed again by PostgreSQL,
 * which is most of what a text COPY of position history costs on both sides.
 * (pg-copy-streams-binary speaks the same format, but allocates a buffer per field.)
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** timestamptz counts microseconds from 2000-01-01 UTC. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TEXT_OID = 25;
const JSONB_VERSION = 1;
const TWO_32 = 2 ** 32;

export class CopyBinaryWriter {
  private buf: Buffer;
  private at = 0;

  constructor(sizeHint = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(64, sizeHint));
    this.bytes(SIGNATURE);
    this.int32(0); // flags
    this.int32(0); // header extension length
  }

  /** Starts a row of `fields` fields; each field then follows in column order. */
  row(fields: number): this {
    this.room(2);
    this.at = this.buf.writeInt16BE(fields, this.at);
    return this;
  }

  null(): this {
    return this.int32(-1);
  }

  text(s: string): this {
    const n = Buffer.byteLength(s);
    this.room(4 + n);
    this.at = this.buf.writeInt32BE(n, this.at);
    this.at += this.buf.write(s, this.at, 'utf8');
    return this;
  }

  float8(n: number): this {
    this.room(12);
    this.at = this.buf.writeInt32BE(8, this.at);
    // + 0: -0 becomes 0, as the text paths (String(-0) is "0") always stored it.
    this.at = this.buf.writeDoubleBE(n + 0, this.at);
    return this;
  }

  float8OrNull(n: number | null): this {
    return n === null ? this.null() : this.float8(n);
  }

  int16(n: number): this {
    this.room(6);
    this.at = this.buf.writeInt32BE(2, this.at);
    this.at = this.buf.writeInt16BE(n, this.at);
    return this;
  }

  /** A time in epoch milliseconds, exactly (microseconds fit a double for any date we meet). */
  timestamptz(ms: number): this {
    const us = (ms - PG_EPOCH_MS) * 1000;
    const hi = Math.floor(us / TWO_32);
    this.room(12);
    this.at = this.buf.writeInt32BE(8, this.at);
    this.at = this.buf.writeInt32BE(hi, this.at);
    this.at = this.buf.writeUInt32BE(us - hi * TWO_32, this.at);
    return this;
  }

  /** jsonb: a version byte, then the JSON text. */
  jsonb(json: string): this {
    const n = Buffer.byteLength(json);
    this.room(5 + n);
    this.at = this.buf.writeInt32BE(n + 1, this.at);
    this.buf[this.at++] = JSONB_VERSION;
    this.at += this.buf.write(json, this.at, 'utf8');
    return this;
  }

  /** A field already encoded (see textArrayField), copied as it is. */
  field(encoded: Buffer): this {
    return this.bytes(encoded);
  }

  /** The whole COPY data, trailer included. The writer is spent. */
  finish(): Buffer {
    this.room(2);
    this.at = this.buf.writeInt16BE(-1, this.at);
    return this.buf.subarray(0, this.at);
  }

  private int32(n: number): this {
    this.room(4);
    this.at = this.buf.writeInt32BE(n, this.at);
    return this;
  }

  private bytes(b: Buffer): this {
    this.room(b.length);
    this.at += b.copy(this.buf, this.at);
    return this;
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }
}

/**
 * A one-dimensional text[] as a whole binary field (length prefix included), to be encoded once
 * and reused for every row that carries it (a batch shares few markings).
 */
export function textArrayField(items: readonly string[]): Buffer {
  const parts = items.map((s) => Buffer.from(s, 'utf8'));
  const body = items.length ? 20 + parts.reduce((n, p) => n + 4 + p.length, 0) : 12;
  const b = Buffer.allocUnsafe(4 + body);
  let at = b.writeInt32BE(body, 0);
  at = b.writeInt32BE(items.length ? 1 : 0, at); // dimensions
  at = b.writeInt32BE(0, at); // no nulls
  at = b.writeInt32BE(TEXT_OID, at);
  if (items.length) {
    at = b.writeInt32BE(items.length, at);
    at = b.writeInt32BE(1, at); // lower bound
    for (const p of parts) {
      at = b.writeInt32BE(p.length, at);
      at += p.copy(b, at);
    }
  }
  return b;
}

const COPY_DATA = 0x64;
const COPY_DONE = Buffer.from([0x63, 0, 0, 0, 4]);

/**
 * `COPY … FROM STDIN` with its data sent right behind the command, not after the server's
 * CopyInResponse (as pg-copy-streams does): one round trip instead of two, and so one wait for a
 * turn of a busy event loop fewer on every history write. When the COPY fails, PostgreSQL ignores
 * the CopyData and CopyDone that follow (postgres.c accepts and drops them outside copy mode),
 * and the error comes back as for any query.
 */
class PipelinedCopy implements pg.Submittable {
  private settled = false;

  constructor(
    private readonly text: string,
    private readonly data: Buffer,
    private readonly done: (e: Error | null) => void,
  ) {}

  submit(connection: pg.Connection): void {
    connection.query(this.text);
    const head = Buffer.allocUnsafe(5);
    head[0] = COPY_DATA;
    head.writeUInt32BE(this.data.length + 4, 1);
    connection.stream.write(head);
    connection.stream.write(this.data);
    connection.stream.write(COPY_DONE);
  }

  handleCopyInResponse(): void {}
  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.settle(null);
  }

  handleError(e: Error): void {
    this.settle(e);
  }

  private settle(e: Error | null): void {
    if (this.settled) return;
    this.settled = true;
    this.done(e);
  }
}

/** Sends rows made by a CopyBinaryWriter through `COPY <target> FROM STDIN` (binary format). */
export function copyBinary(client: pg.ClientBase, target: string, data: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    client.query(
      new PipelinedCopy(`COPY ${target} FROM STDIN WITH (FORMAT binary)`, data, (e) =>
        e ? reject(e) : resolve(),
      ),
    );
  });
}
