import { MetricName, type WindowRecomputeJob } from '@vigil/contracts';
import { getReferenceDataset, markWindowClosed, upsertMetricPoints, windowLabelsSeq, type Db, type MetricPointInput } from '@vigil/db';
import { buildReport, type Report, type ReportOptions, type Table } from '@vigil/metrics';
import { loadModelContext, type ModelContext } from '../model-context.js';
import { loadReferenceTable, loadWindowRows, ROLE_COLUMN, type WindowRows } from './window-table.js';

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
  const ctx = withLabelColumn(await loadModelContext(db, job.organizationId, job.modelId));
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
    const options = reportOptions(ctx, current);
    // Only features are compared for drift; role columns enter the report only as performance roles.
    const keep = (table: Table): Table => {
      const roles = new Set([options.target, options.prediction, ...(typeof options.scores === 'string' ? [options.scores] : (options.scores ?? []))]);
      const features = new Set(ctx.columns.filter((c) => c.role === 'feature').map((c) => c.name));
      return Object.fromEntries(Object.entries(table).filter(([name]) => features.has(name) || roles.has(name)));
    };
    const report = buildReport(keep(reference?.table ?? current.table), keep(current.table), options);
    points = pointsFromReport(ctx, job, report, current, reference !== null);
  }
  await upsertMetricPoints(db.pool, points);
  await markWindowClosed(db.pool, { ...windowRef, closedAt, rows: current.rows, labelsSeq });
  return { rows: current.rows, metricPoints: points.length };
}

/**
 * Labels sent later through `/v1/labels` do not register a column: ground truth has the kind of
 * the prediction it is compared with.
 */
function withLabelColumn(ctx: ModelContext): ModelContext {
  if (ctx.columns.some((c) => c.role === 'label')) return ctx;
  const prediction = ctx.columns.find((c) => c.role === 'prediction');
  if (!prediction) return ctx;
  return { ...ctx, columns: [...ctx.columns, { role: 'label', name: 'label', kind: prediction.kind }] };
}

async function referenceTableFor(db: Db, ctx: ModelContext) {
  const ds = await getReferenceDataset(db.forTenant(ctx.organizationId), ctx.reference!.datasetId);
  // Raw rows are kept for uploaded references; time-range references are compared through their profiles (streaming values stay).
  if (ds.source !== 'upload') return null;
  return loadReferenceTable(db, ctx.organizationId, ctx.reference!.datasetId, ctx.columns);
}

function reportOptions(ctx: ModelContext, current: WindowRows): ReportOptions {
  const has = (name: string) => name in current.table;
  const scores = ctx.columns.filter((c) => c.role === 'score').map((c) => ROLE_COLUMN.score(c.name)).filter(has);
  const withLabels = current.labelled > 0 && has(ROLE_COLUMN.label) && (has(ROLE_COLUMN.prediction) || scores.length > 0);
  const categorical = ctx.columns.filter((c) => c.role === 'feature' && c.kind !== 'numerical').map((c) => c.name);
  const numerical = ctx.columns.filter((c) => c.role === 'feature' && c.kind === 'numerical').map((c) => c.name);
  return {
    ...ctx.drift,
    numerical,
    categorical,
    ...(withLabels
      ? {
          target: ROLE_COLUMN.label,
          ...(has(ROLE_COLUMN.prediction) ? { prediction: ROLE_COLUMN.prediction } : {}),
          ...(scores.length > 0 ? { scores: scores.length === 1 && scores[0] === '__score' ? '__score' : scores } : {}),
        }
      : {}),
  };
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
  const point = (metric: string, value: number | null | undefined, columnName = '', details?: unknown) => {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    points.push({ ...base, metric, value, columnName, ...(details !== undefined ? { details } : {}) });
  };
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
  const perf = report.performance?.current;
  if (perf && 'accuracy' in perf) {
    const details = { task: report.performance!.task, rows: perf.rows, labels: perf.labels, confusionMatrix: perf.confusionMatrix, ...(perf.positiveLabel !== undefined ? { positiveLabel: perf.positiveLabel } : {}) };
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
  return points;
}
