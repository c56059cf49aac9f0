import { NOTIFICATIONS_LAYER } from '../../domain/deconfliction';
import { FACILITIES_LAYER } from '../../domain/facilities';
import { INCIDENTS_LAYER } from '../../domain/incidents';
import { ALERTS_LAYER } from '../features/alerts/types';
import { TRACKS_LAYER } from '../features/tracks/types';
import { ZONES_LAYER } from '../features/zones/zoneStore';

/**
 * The layers of the live picture. Tracks first: the zones come from a GET started as the page
 * loads (`prefetchZones`), and the server sends the snapshots in this order.
 */
export const LIVE_LAYERS: readonly string[] = [
  TRACKS_LAYER,
  ZONES_LAYER,
  ALERTS_LAYER,
  INCIDENTS_LAYER,
  FACILITIES_LAYER,
  NOTIFICATIONS_LAYER,
];
