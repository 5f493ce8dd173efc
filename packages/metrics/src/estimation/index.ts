export * from './cbpe-binary.js';
export * from './cbpe-multiclass.js';
export * from './estimated-roc-auc.js';
export * from './expected-confusion.js';
export * from './isotonic.js';
export * from './pca-drift.js';
export * from './pca-reconstruction.js';
export * from './sampling-error.js';
