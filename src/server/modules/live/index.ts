export {
  CLOSE,
  DEFAULT_HUB_OPTIONS,
  type EventHistory,
  type HubOptions,
  type LayerSource,
  LiveHub,
  type Revalidate,
} from './live.hub.js';
export { liveRoutes } from './live.routes.js';
export type { LiveSink } from './live-sink.js';
export type { Outgoing } from './prepared.js';
