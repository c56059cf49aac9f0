import type { Db } from '../../db/database.js';
import { dashboardRoutes } from './dashboard.routes.js';
import { dashboardService } from './dashboard.service.js';

export {
  DASHBOARD_BASIS,
  type Dashboard,
  type DashboardService,
  dashboardService,
} from './dashboard.service.js';
export { dashboardStore } from './dashboard.store.js';

/** The aid dashboard, wired once. */
export function createAidDashboard(db: Db) {
  const service = dashboardService(db);
  return { service, routes: dashboardRoutes(service) };
}
