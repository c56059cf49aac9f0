import type { Logger } from 'pino';
import { DEFAULT_MAX_EVIDENCE_BYTES, SUGGESTION_LIMITS } from '../../../domain/evidence.js';
import type { Db } from '../../db/database.js';
import { EvidenceFiles } from './evidence.files.js';
import { evidenceRoutes } from './evidence.routes.js';
import { evidenceService } from './evidence.service.js';
import { suggestEvidence } from './evidence.suggest.js';

export { integrityFailure } from './evidence.checks.js';
export { EvidenceFiles } from './evidence.files.js';
export { moveEvidenceOnMerge } from './evidence.merge.js';
export { type EvidenceService, evidenceService } from './evidence.service.js';
export { suggestEvidence } from './evidence.suggest.js';

export interface EvidenceOptions {
  /** Where files are stored by their SHA-256 (config.evidenceDir). */
  dir: string;
  maxBytes?: number;
  /** Positions one evidence suggestion reads at most. */
  maxScanPositions?: number;
}

/** Evidence of incidents: files with their chain of custody, linked track segments and alerts, suggestions. */
export function createEvidence(db: Db, log: Logger, opts: EvidenceOptions) {
  const files = new EvidenceFiles(opts.dir);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_EVIDENCE_BYTES;
  const service = evidenceService(db, files, log);
  const suggest = suggestEvidence(db, opts.maxScanPositions ?? SUGGESTION_LIMITS.maxPositions);
  log.debug({ dir: opts.dir, maxBytes }, 'evidence store');
  return { service, suggest, files, routes: evidenceRoutes({ service, suggest, files, maxBytes }) };
}
export type Evidence = ReturnType<typeof createEvidence>;
