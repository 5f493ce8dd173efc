import { MetricName, type WindowRecomputeJob } from '@vigil/contracts';
import { getReferenceDataset, markWindowClosed, upsertMetricPoints, windowLabelsSeq, type Db, type MetricPointInput } from '@vigil/db';
import type { Report } from '@vigil/metrics';
import { buildWindowReport, loadReferenceTable, loadWindowRows, ROLE_COLUMN, segmentPerformance, withLabelColumn, type WindowRows } from '@vigil/services';
import { windowStateOf } from '@vigil/metrics';
import { estimatePoints } from '../estimates-store.js';
import { loadModelContext, type ModelContext } from '../model-context.js';

const SPAN = { hour: 3_600_000, day: 86_400_000 } as const;

/**
 * The batch path: recomputes one hour or day window exactly from its stored events (and
 * labels) with the same report code as `vigil report`, and replaces the window's streaming
 * metric points with the exact ones. Idempotent: running it again gives the same points.
 */
export async function recomputeWindow(
  db: Db,
  job: Pick<WindowRecomputeJob, 'organizationId' | 'modelId' | 'modelVersionId' | 'granularity' | 'windowStart'>,
): Promise<{ rows: number; metricPoints: number }> {
  const loaded = await loadModelContext(db, job.organizationId, job.modelId);
  const ctx = { ...loaded, columns: withLabelColumn(loaded.columns) };
  const from = new Date(job.windowStart);
  const to = new Date(from.getTime() + SPAN[job.granularity]);
  const closedAt = new Date();
  const windowRef = { organizationId: job.organizationId, modelVersionId: job.modelVersionId, granularity: job.granularity, windowStart: from };
  // Read before the rows: a label batch committed after this read bumps labels_seq past it, so
  // the window is found due again even if its labels were not among the rows read below.
  const labelsSeq = await windowLabelsSeq(db.pool, job.organizationId, job.modelVersionId, job.granularity, from);
  const current = await loadWindowRows(db, { organizationId: ctx.organizationId, projectId: ctx.projectId }, ctx.columns, job.modelVersionId, from, to);
  let points: MetricPointInput[] = [];
  if (current.rows > 0) {
    const reference = ctx.reference ? await referenceTableFor(db, ctx) : null;
    const report = buildWindowReport(ctx, reference?.table ?? null, current);
    points = pointsFromReport(ctx, job, report, current, reference !== null);
    points.push(...exactEstimatePoints(ctx, job, current));
    if (ctx.segmentTags.length > 0) points.push(...segmentPoints(ctx, job, current));
  }
  await upsertMetricPoints(db.pool, points);
  await markWindowClosed(db.pool, { ...windowRef, closedAt, rows: current.rows, labelsSeq });
  return { rows: current.rows, metricPoints: points.length };
}

/** The window's estimates (CBPE, PCA reconstruction) from its events, the estimated ROC AUC exact. */
function exactEstimatePoints(ctx: ModelContext, job: Pick<WindowRecomputeJob, 'modelVersionId' | 'granularity' | 'windowStart'>, current: WindowRows): MetricPointInput[] {
  const estimator = ctx.reference?.estimator;
  if (!estimator) return [];
  const { state, exactRocAuc } = windowStateOf(estimator.model, estimator.key, current.table, current.rows);
  return estimatePoints(ctx, { modelVersionId: job.modelVersionId, granularity: job.granularity, windowStart: new Date(job.windowStart), segment: '' }, state, exactRocAuc);
}

async function referenceTableFor(db: Db, ctx: ModelContext) {
  const ds = await getReferenceDataset(db.forTenant(ctx.organizationId), ctx.reference!.datasetId);
  // Raw rows are kept for uploaded references; time-range references are compared through their profiles (streaming values stay).
  if (ds.source !== 'upload') return null;
  return loadReferenceTable(db, ctx.organizationId, ctx.reference!.datasetId, ctx.columns);
}

function pointsFromReport(
  ctx: ModelContext,
  job: Pick<WindowRecomputeJob, 'modelVersionId' | 'granularity' | 'windowStart'>,
  report: Report,
  current: WindowRows,
  withReference: boolean,
): MetricPointInput[] {
  const points: MetricPointInput[] = [];
  const base = {
    organizationId: ctx.organizationId,
    projectId: ctx.projectId,
    modelId: ctx.modelId,
    modelVersionId: job.modelVersionId,
    granularity: job.granularity,
    windowStart: new Date(job.windowStart),
  };
  const point = pointWriter(points, base);
  point(MetricName.predictionCount, current.rows);
  point(MetricName.labelCount, current.labelled);
  point(MetricName.labelCoverage, current.labelled / current.rows);
  point(MetricName.labelDelaySeconds, current.labelDelaySeconds);

  const roleColumns = new Set([ROLE_COLUMN.prediction, ROLE_COLUMN.label, ...ctx.columns.filter((c) => c.role === 'score').map((c) => ROLE_COLUMN.score(c.name))]);
  for (const c of report.columns) {
    if (roleColumns.has(c.name)) continue;
    const q = c.quality;
    point(MetricName.missingShare, q.missingShare, c.name);
    point(MetricName.distinctCount, q.distinct, c.name);
    if (c.type === 'numerical') {
      point(MetricName.mean, q.mean, c.name);
      point(MetricName.std, q.std, c.name);
      point(MetricName.min, q.min, c.name);
      point(MetricName.max, q.max, c.name);
    }
    if (!withReference) continue;
    point(MetricName.outOfRangeShare, q.outOfRangeShare, c.name);
    point(MetricName.newCategoryShare, q.newCategoryShare, c.name);
    if (c.drift) {
      const details = {
        test: c.drift.test,
        threshold: c.drift.threshold,
        scoreKind: c.drift.scoreKind,
        basis: 'exact',
        ...(c.drift.pValueAdjusted != null ? { pValueAdjusted: c.drift.pValueAdjusted } : {}),
      };
      point(MetricName.driftScore, c.drift.pValueAdjusted ?? c.drift.score, c.name, details);
      point(MetricName.driftDetected, c.drift.drifted ? 1 : 0, c.name, details);
    }
    if (c.divergences) {
      point(MetricName.psi, c.divergences.psi, c.name);
      point(MetricName.jensenShannon, c.divergences.jensenShannon, c.name);
      point(MetricName.wassersteinNormed, c.divergences.wassersteinNormed, c.name);
    }
  }
  if (withReference && report.dataset.columns > 0) {
    const d = report.dataset;
    const details = { driftedColumns: d.driftedColumns, columns: d.columns, driftShare: d.driftShare };
    point(MetricName.driftedColumnsShare, d.driftedShare, '', details);
    point(MetricName.datasetDrift, d.drifted ? 1 : 0, '', details);
  }
  performancePoints(point, report.performance?.current, report.performance?.task);
  return points;
}

type Performance = NonNullable<Report['performance']>['current'];
type PointWriter = (metric: string, value: number | null | undefined, columnName?: string, details?: unknown) => void;

/** Adds a point of the window `base` describes to `points`; a value that is not a finite number is left out. */
function pointWriter(points: MetricPointInput[], base: Omit<MetricPointInput, 'metric' | 'value' | 'columnName' | 'details'>): PointWriter {
  return (metric, value, columnName = '', details) => {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    points.push({ ...base, metric, value, columnName, ...(details !== undefined ? { details } : {}) });
  };
}

/** A window's performance metrics (classification or regression), with the details charts read. */
function performancePoints(point: PointWriter, perf: Performance | null | undefined, task: string | undefined): void {
  if (perf && 'accuracy' in perf) {
    const details = { task, rows: perf.rows, labels: perf.labels, confusionMatrix: perf.confusionMatrix, ...(perf.positiveLabel !== undefined ? { positiveLabel: perf.positiveLabel } : {}) };
    point(MetricName.accuracy, perf.accuracy, '', details);
    point(MetricName.precision, perf.precision, '', details);
    point(MetricName.recall, perf.recall, '', details);
    point(MetricName.f1, perf.f1, '', details);
    point(MetricName.rocAuc, perf.rocAuc, '', details);
    point(MetricName.logLoss, perf.logLoss, '', details);
  } else if (perf && 'mae' in perf) {
    const details = { task: 'regression', rows: perf.rows };
    point(MetricName.mae, perf.mae, '', details);
    point(MetricName.rmse, perf.rmse, '', details);
    point(MetricName.mape, perf.mape, '', details);
    point(MetricName.r2, perf.r2, '', details);
    point(MetricName.meanError, perf.meanError, '', details);
  }
}

/**
 * Per segment of the model's segment tags: label count and coverage and the performance of the
 * segment's rows (streaming gives segments their volume, quality and drift).
 */
function segmentPoints(ctx: ModelContext, job: Pick<WindowRecomputeJob, 'modelVersionId' | 'granularity' | 'windowStart'>, current: WindowRows): MetricPointInput[] {
  const points: MetricPointInput[] = [];
  for (const s of segmentPerformance(ctx, current, ctx.segmentTags)) {
    const base = {
      organizationId: ctx.organizationId,
      projectId: ctx.projectId,
      modelId: ctx.modelId,
      modelVersionId: job.modelVersionId,
      granularity: job.granularity,
      windowStart: new Date(job.windowStart),
      segment: s.segment,
    };
    const point = pointWriter(points, base);
    point(MetricName.labelCount, s.labelled);
    point(MetricName.labelCoverage, s.labelled / s.rows);
    performancePoints(point, s.performance, undefined);
  }
  return points;
}
