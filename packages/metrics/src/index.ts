export * from './drift/index.js';
export * from './errors.js';
export * from './performance/index.js';
export * from './prng/index.js';
export * from './quality/index.js';
export * from './stats/index.js';
export * from './profile/index.js';
export * from './streaming/index.js';
