import type { Logger } from 'pino';
import { DEFAULT_IMPORT_MAX_BYTES } from '../../../domain/aid-imports.js';
import type { Viewer } from '../../../domain/viewer.js';
import type { Db } from '../../db/database.js';
import { aidExports } from './imports.exports.js';
import { importsRoutes } from './imports.routes.js';
import { type ImportOptions, importsService } from './imports.service.js';

export { type ImportsService, importsService } from './imports.service.js';

/** Imports of humanitarian lists (CSV with an HXL hashtag row) and the GeoJSON/CSV exports of aid records. */
export function createAidImport(db: Db, log: Logger, opts: Partial<ImportOptions> = {}) {
  const options: ImportOptions = {
    maxBytes: opts.maxBytes ?? DEFAULT_IMPORT_MAX_BYTES,
    batchRows: opts.batchRows ?? 2000,
  };
  const service = importsService(db, log, options);
  service
    .recover()
    .then((n) => n && log.warn({ jobs: n }, 'imports left running by a stopped server marked failed'))
    .catch((e: unknown) => log.warn({ err: e }, 'could not mark imports left running as failed'));
  return {
    service,
    routes: importsRoutes(service, aidExports(db), options.maxBytes),
    /** Live layer `aid-imports`: the snapshot is the running jobs; each stored batch is an upsert. */
    liveSource: async (viewer: Viewer) =>
      (await service.list(viewer, 50)).filter((j) => j.state === 'running'),
    close: service.close,
  };
}
export type AidImport = ReturnType<typeof createAidImport>;
