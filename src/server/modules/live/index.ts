export {
  CLOSE,
  DEFAULT_HUB_OPTIONS,
  type EventHistory,
  type HubOptions,
  type LayerSource,
  LiveHub,
  type LiveSink,
  type Outgoing,
  type Revalidate,
} from './live.hub.js';
export { liveRoutes } from './live.routes.js';
