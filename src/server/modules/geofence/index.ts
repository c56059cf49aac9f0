export { GeofenceEngine, type GeofenceOptions } from './geofence.engine.js';
export { applyZoneEvent, fenceZoneFromFeature, loadFenceZones } from './geofence.loader.js';
export type { FenceZone } from './geofence.zone.js';
