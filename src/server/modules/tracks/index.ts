export { tracksRoutes } from './tracks.routes.js';
export { type ReportResult, type TracksService, tracksService } from './tracks.service.js';
export { DEFAULT_SWEEP_MS, StaleTrackSweeper } from './tracks.sweeper.js';
