export { tracksRoutes } from './tracks.routes.js';
export { type ReportResult, type TracksService, tracksService } from './tracks.service.js';
