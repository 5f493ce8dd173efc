export * from './drift/index.js';
export * from './errors.js';
export * from './performance/index.js';
export * from './prng/index.js';
export * from './quality/index.js';
export * from './stats/index.js';
export * from './report/index.js';
