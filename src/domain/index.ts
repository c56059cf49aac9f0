export * from './events.js';
export * from './geometry.js';
export * from './marking.js';
export * from './roles.js';
export * from './viewer.js';
export * from './zones.js';
