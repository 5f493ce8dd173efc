import { MetricName, VigilError } from '@vigil/contracts';
import { latestPoints, modelSummary, pointAt, type Db } from '@vigil/db';
import { pickVersion } from './series.js';

export interface ConfusionMatrix {
  granularity: 'hour' | 'day';
  windowStart: number;
  /** `matrix[i][j]`: rows of true `labels[i]` predicted as `labels[j]`. */
  labels: string[];
  matrix: number[][];
  rows: number;
}

interface ClassificationDetails {
  labels?: unknown[];
  confusionMatrix?: number[][];
  rows?: number;
}

const DAY = 86_400_000;

/**
 * The confusion matrix of one hour or day window of a classifier (its exact recompute keeps it
 * with the window's accuracy). Without `windowStart`: the newest window that has one, in the last
 * 30 days. Null when there is none.
 */
export async function confusionMatrix(
  db: Db,
  organizationId: string,
  req: { modelId: string; versionId?: string; granularity: 'hour' | 'day'; windowStart?: number },
  now = Date.now(),
): Promise<ConfusionMatrix | null> {
  const model = await modelSummary(db.forTenant(organizationId), req.modelId);
  const version = pickVersion(model, req.versionId);
  if (!version) return null;
  const scope = { organizationId, modelId: model.id, modelVersionId: version.id };
  let windowStart = req.windowStart;
  let details: unknown;
  if (windowStart === undefined) {
    const [newest] = await latestPoints(db.pool, { ...scope, metrics: [MetricName.accuracy], segment: '', granularity: req.granularity, from: now - 30 * DAY, to: now + DAY });
    if (!newest) return null;
    windowStart = newest.windowStart;
    details = newest.details;
  } else {
    const p = await pointAt(db.pool, { ...scope, metric: MetricName.accuracy, granularity: req.granularity, windowStart });
    if (!p) throw new VigilError('NOT_FOUND', 'no performance was computed for this window');
    details = p.details;
  }
  const d = (details ?? {}) as ClassificationDetails;
  if (!Array.isArray(d.labels) || !Array.isArray(d.confusionMatrix)) return null;
  return { granularity: req.granularity, windowStart, labels: d.labels.map(String), matrix: d.confusionMatrix, rows: d.rows ?? 0 };
}
