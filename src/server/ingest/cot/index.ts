export { ATAK_DEFAULT_PASSWORD, ensureTakPki, issueClientBundle, writeClientBundle } from './tak-pki.js';
export {
  startTakServers,
  type TakConfig,
  type TakServers,
  type TakServersOptions,
  type TakUserResult,
  type TakUsers,
} from './tak-server.js';
export type { TakStats } from './tak-stats.js';
export { takUsersFromDb } from './tak-users.js';
