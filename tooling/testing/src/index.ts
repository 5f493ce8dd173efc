export { freePort } from './ports.js';
export { until } from './until.js';
