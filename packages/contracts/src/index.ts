export * from './access.js';
export * from './errors.js';
export * from './ingest.schema.js';
export * from './metrics.js';
export * from './queues.js';
export * from './read.schema.js';
export * from './web.schema.js';
