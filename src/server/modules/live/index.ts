export { CLOSE, DEFAULT_HUB_OPTIONS, type HubOptions, type LayerSource, LiveHub } from './live.hub.js';
export { liveRoutes } from './live.routes.js';
