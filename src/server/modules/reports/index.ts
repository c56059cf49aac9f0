export { csvText } from './exports.js';
export { reportsRoutes } from './reports.routes.js';
export { type ReportsService, reportsService } from './reports.service.js';
