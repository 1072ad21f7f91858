export * from './errors.js';
export * from './resilience.js';
