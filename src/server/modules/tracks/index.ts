export { OTHER_ORGANISATION, TrackEngine, type VolatileChange } from './track-engine.js';
export { TrackFollower } from './track-follower.js';
export { HistoryKeeper } from './track-history.js';
export { TRACKS_CHANNEL } from './track-writer.js';
export { tracksRoutes } from './tracks.routes.js';
export { type ReportResult, type TracksService, tracksService } from './tracks.service.js';
export { trackStreamRoute } from './tracks.stream.js';
