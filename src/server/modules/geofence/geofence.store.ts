import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import type { ZoneVersionRow } from '../zones/index.js';

/** A zone version as the geofence needs it: the columns of the zones module's own row. */
export type FenceVersionRow = Omit<
  ZoneVersionRow,
  'description' | 'properties' | 'created_by_name' | 'created_at'
>;

export const geofenceStore = {
  /**
   * Every version that is or will be in force after `since`, and every deletion marker (they end
   * the versions before them). Run on the system pool: the engine guards every zone, whoever sees it.
   */
  async versionsSince(tx: Tx, since: Date): Promise<FenceVersionRow[]> {
    const r = await sql<FenceVersionRow>`
      SELECT zone_id, version, name, kind, geometry, valid_from, valid_to, alert_rules, deleted,
             classification, releasable_to, caveats
      FROM zone_versions
      WHERE deleted OR valid_to IS NULL OR valid_to > ${since}
      ORDER BY zone_id, version`.execute(tx);
    return r.rows;
  },
};
