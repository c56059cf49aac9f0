export * from './events.js';
export * from './geometry.js';
export * from './marking.js';
export * from './position-reports.js';
export * from './roles.js';
export * from './tracks.js';
export * from './viewer.js';
export * from './zones.js';
