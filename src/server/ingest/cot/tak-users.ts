import type { Db } from '../../db/database.js';
import { identitiesStore, toViewer } from '../../modules/identities/index.js';
import type { TakUsers } from './tak-server.js';

/** Certificate CN (or the configured user) -> the Concord user, refused when unknown or disabled. */
export function takUsersFromDb(db: Db): TakUsers {
  return async (username) => {
    const row = await identitiesStore.findUserByName(db.app, username);
    if (!row) return { ok: false, reason: 'unknown-user' };
    if (row.disabled) return { ok: false, reason: 'disabled-user' };
    return { ok: true, viewer: toViewer(row) };
  };
}
