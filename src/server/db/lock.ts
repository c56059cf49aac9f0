import fs from 'node:fs';
import path from 'node:path';
import { alive } from './embedded.js';

/** One Concord per data folder: a second one gets a clear message instead of a corrupted database. */
export function acquireDataLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'concord.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8').split('\n')[0] === String(process.pid)) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
      if (pid && pid !== process.pid && alive(pid)) {
        throw new DataFolderInUse(dataDir, pid, readLockedUrl(file));
      }
      fs.unlinkSync(file); // left behind by a crashed run
    }
  }
  throw new Error(`could not lock the data folder ${dataDir}`);
}

/** The running Concord records its database URL in the lock so that the CLI can work beside it. */
export function recordLockedUrl(dataDir: string, url: string): void {
  fs.writeFileSync(path.join(dataDir, 'concord.lock'), `${process.pid}\n${url}\n`);
}

function readLockedUrl(file: string): string | null {
  return fs.readFileSync(file, 'utf8').split('\n')[1]?.trim() || null;
}

export class DataFolderInUse extends Error {
  constructor(
    dataDir: string,
    readonly pid: number,
    readonly url: string | null,
  ) {
    super(
      `Another Concord (process ${pid}) is already using the data folder ${dataDir}. ` +
        'Stop it first, or give this one its own folder with CONCORD_DATA_DIR.',
    );
  }
}
