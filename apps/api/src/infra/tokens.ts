/** Injection tokens for process-wide resources. */
export const DB = Symbol('vigil.db');
export const REDIS = Symbol('vigil.redis');
export const ENV = Symbol('vigil.env');
export const LOGGER = Symbol('vigil.logger');
export const QUEUES = Symbol('vigil.queues');
