import type { Viewer } from '../domain/viewer.js';
import type { Db } from '../server/db/database.js';
import { identitiesService, identitiesStore, toViewer } from '../server/modules/identities/index.js';
import { zonesService } from '../server/modules/zones/index.js';
import { loadFacilities, loadNotifications } from './aid.js';
import { type DemoAidFlow, loadDemoAidFlow } from './aid-flow.js';
import { DEMO_ZONES, LINE_V2_FROM, WITHDRAWAL_LINE_V2 } from './geography.js';
import { loadDemoIncidents } from './incidents.js';
import { DEMO_ORGANISATIONS, DEMO_USERS } from './organisations.js';

export interface DemoSummary {
  organisations: number;
  users: { username: string; organisation: string; roles: string[]; clearance: string }[];
  zones: number;
  incidents: number;
  aid: DemoAidFlow;
  facilities: number;
  notifications: number;
}

/** Loads the synthetic demo scenario through the same services the API uses. */
export async function loadDemo(db: Db, password: string): Promise<DemoSummary> {
  const identities = identitiesService(db, 12);
  const zones = zonesService(db);
  for (const o of DEMO_ORGANISATIONS) await identitiesStore.upsertOrganisation(db.app, o);
  const viewers = new Map<string, Viewer>();
  for (const u of DEMO_USERS) {
    await identities.addUser({ ...u, password });
    const row = await identitiesStore.findUserByName(db.app, u.username);
    if (row) viewers.set(u.username, toViewer(row));
  }
  let count = 0;
  let lineId: string | null = null;
  for (const { by, zone } of DEMO_ZONES) {
    const f = await zones.create(viewers.get(by)!, zone);
    if (zone.kind === 'withdrawal-line') lineId = f.id;
    count++;
  }
  if (lineId) {
    const v1 = DEMO_ZONES.find((z) => z.zone.kind === 'withdrawal-line')!.zone;
    await zones.update(viewers.get('admin')!, lineId, 1, {
      ...v1,
      geometry: WITHDRAWAL_LINE_V2 as typeof v1.geometry,
      validFrom: LINE_V2_FROM,
      description: 'Version 2: southern section adjusted (invented for the demo).',
    });
  }
  const incidents = await loadDemoIncidents(db, viewers);
  const aid = await loadDemoAidFlow(db, viewers);
  const facilityIds = await loadFacilities(db, viewers);
  const notifications = await loadNotifications(db, viewers, facilityIds);
  return {
    organisations: DEMO_ORGANISATIONS.length,
    users: DEMO_USERS.map((u) => ({
      username: u.username,
      organisation: u.organisation,
      roles: u.roles,
      clearance: u.clearance,
    })),
    zones: count,
    incidents,
    aid,
    facilities: facilityIds.size,
    notifications,
  };
}
