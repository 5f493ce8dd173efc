export { buildReportParallel, sharedFloat64Array, sharedInt32Array, type ParallelReportOptions } from './parallel-report.js';
