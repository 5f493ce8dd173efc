import { fitPcaDrift, pcaDrift } from '../estimation/pca-drift.js';
import type { PcaColumns } from '../estimation/pca-reconstruction.js';
import { num } from './column-report.js';
import type { ColumnTask } from './plan.js';
import type { MultivariateDriftReport } from './report.types.js';
import { toNumeric } from './table.js';

function pcaColumns(tasks: readonly ColumnTask[], side: 'reference' | 'current'): PcaColumns {
  return {
    numerical: tasks.filter((t) => t.type === 'numerical').map((t) => toNumeric(t[side], t.name)),
    categorical: tasks.filter((t) => t.type === 'categorical').map((t) => t[side]),
  };
}

/**
 * Multivariate drift over the report's feature columns: the PCA pipeline and thresholds
 * fitted on the reference (chunks of `chunkSize` rows), the current data scored as one chunk.
 * @throws MetricsError when a column has no reference value or the chunk size exceeds the reference.
 */
export function computeMultivariateDrift(tasks: readonly ColumnTask[], chunkSize: number): MultivariateDriftReport {
  // The pipeline orders numerical columns first; name them in that order.
  const ordered = [...tasks.filter((t) => t.type === 'numerical'), ...tasks.filter((t) => t.type === 'categorical')];
  const model = fitPcaDrift(pcaColumns(ordered, 'reference'), chunkSize);
  const current = pcaDrift(model, pcaColumns(ordered, 'current'));
  const k = model.pipeline.components.length;
  return {
    method: 'pca_reconstruction',
    components: k,
    explainedVariance: model.pipeline.explainedVarianceRatio.slice(0, k).reduce((a, b) => a + b, 0),
    columns: ordered.map((t) => t.name),
    chunkSize,
    referenceChunkErrors: model.referenceChunkErrors,
    lower: model.lower,
    upper: model.upper,
    current: { error: num(current.error), samplingError: num(current.samplingError) },
    drifted: current.drifted,
  };
}
