export { classificationMetrics, type AveragedScores, type ClassificationMetrics } from './classification.js';
export type { Label } from './labels.js';
export { binaryBrierScore, binaryLogLoss, brierScore, logLoss } from './probabilistic.js';
export { averagePrecision, rocAuc, rocAucOvr, rocCurve, type OvrAuc, type RocCurve } from './roc-auc.js';
export { regressionMetrics, type RegressionMetrics } from './regression.js';
