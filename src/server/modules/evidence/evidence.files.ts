import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** How many leading bytes are kept for the media type check. */
const HEAD_BYTES = 64;

/** A file received into the temporary area, hashed on the way. */
export interface ReceivedFile {
  tmpPath: string;
  sha256: string;
  size: number;
  head: Uint8Array;
  /** The stream ended because it reached the size cap: the file is incomplete. */
  truncated: boolean;
}

export type Verification =
  | { ok: true; sha256: string; file: fs.FileHandle; size: number }
  | { ok: false; sha256: string | null; reason: 'missing' | 'mismatch' };

/**
 * Evidence files stored by their SHA-256 under `<dir>/sha256/<aa>/<bb>/<hash>`: the same content
 * is stored once, and a file's name is its integrity check. Uploads stream to `<dir>/tmp` (same
 * file system, so the final rename is atomic) while being hashed: no file is ever held in memory.
 */
export class EvidenceFiles {
  private ready: Promise<void> | null = null;

  constructor(readonly dir: string) {}

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return path.join(this.dir, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  private ensure(): Promise<void> {
    this.ready ??= (async () => {
      await fs.mkdir(path.join(this.dir, 'tmp'), { recursive: true, mode: 0o700 });
      await fs.mkdir(path.join(this.dir, 'sha256'), { recursive: true, mode: 0o700 });
      // Uploads a crash interrupted more than a day ago.
      const cutoff = Date.now() - 24 * 3600_000;
      for (const name of await fs.readdir(path.join(this.dir, 'tmp'))) {
        const p = path.join(this.dir, 'tmp', name);
        const st = await fs.stat(p).catch(() => null);
        if (st && st.mtimeMs < cutoff) await fs.rm(p, { force: true });
      }
    })().catch((e) => {
      this.ready = null;
      throw e;
    });
    return this.ready;
  }

  /** Streams `source` to a temporary file, hashing it, up to `maxBytes` (then `truncated`). */
  async receive(source: Readable & { truncated?: boolean }, maxBytes: number): Promise<ReceivedFile> {
    await this.ensure();
    const tmpPath = path.join(this.dir, 'tmp', `${randomUUID()}.part`);
    const hash = createHash('sha256');
    const head: number[] = [];
    let size = 0;
    let over = false;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) {
          over = true;
          // Keep reading (so the request can still be answered) but write nothing more.
          return done();
        }
        hash.update(chunk);
        for (let i = 0; i < chunk.length && head.length < HEAD_BYTES; i++) head.push(chunk[i]!);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, tap, createWriteStream(tmpPath, { flags: 'wx', mode: 0o600 }));
      // fsync is per file, not per descriptor: the data is on disk before the file gets its name.
      const written = await fs.open(tmpPath, 'r+');
      try {
        await written.sync();
      } finally {
        await written.close();
      }
    } catch (e) {
      await fs.rm(tmpPath, { force: true });
      throw e;
    }
    return {
      tmpPath,
      sha256: hash.digest('hex'),
      size,
      head: Uint8Array.from(head),
      truncated: over || source.truncated === true,
    };
  }

  /** Drops a received file that will not be kept. */
  async discard(received: ReceivedFile | null): Promise<void> {
    if (received) await fs.rm(received.tmpPath, { force: true });
  }

  /**
   * Moves a received file to its content address. When that content is already stored intact the
   * copy is dropped; when the stored copy no longer matches its name, the new one replaces it.
   */
  async commit(received: ReceivedFile): Promise<'stored' | 'present' | 'replaced'> {
    const target = this.pathOf(received.sha256);
    const existing = await this.verify(received.sha256);
    if (existing.ok) {
      await existing.file.close();
      await fs.rm(received.tmpPath, { force: true });
      return 'present';
    }
    await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await fs.chmod(received.tmpPath, 0o400);
    await fs.rename(received.tmpPath, target);
    // The rename is durable only once its directory is.
    const d = await fs.open(path.dirname(target), 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
    return existing.reason === 'mismatch' ? 'replaced' : 'stored';
  }

  /**
   * Re-hashes the stored file. On success the open handle is returned, so what is sent is read from
   * the same file that was just checked (a rename over it cannot slip in between).
   */
  async verify(sha256: string): Promise<Verification> {
    let file: fs.FileHandle;
    try {
      file = await fs.open(this.pathOf(sha256), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        return { ok: false, sha256: null, reason: 'missing' };
      throw e;
    }
    try {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of createReadStream('', { fd: file, autoClose: false, start: 0 })) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      const actual = hash.digest('hex');
      if (actual !== sha256) {
        await file.close();
        return { ok: false, sha256: actual, reason: 'mismatch' };
      }
      return { ok: true, sha256: actual, file, size };
    } catch (e) {
      await file.close().catch(() => {});
      throw e;
    }
  }

  /** A stream of a verified file from its start; it closes the handle when done. */
  stream(file: fs.FileHandle): Readable {
    return createReadStream('', { fd: file, start: 0, autoClose: true });
  }
}
