import { ALERT_GRANULARITY_SECONDS, ESTIMATED_METRICS, MetricName } from '@vigil/contracts';
import type { AlertGranularity, AlertRuleDefinition, Granularity } from '@vigil/contracts';
import type { AlertLabels } from './fingerprint.js';

/** One `metric_point` as the evaluator sees it. Times are epoch milliseconds. */
export interface MetricPoint {
  readonly metric: string;
  /** '' for model-level metrics. */
  readonly column: string;
  /** '' for the whole population, else "tag=value". */
  readonly segment: string;
  readonly modelId: string;
  /** null: the model across all its versions. */
  readonly modelVersionId: string | null;
  /** Needed only when the rule's scope lists projects: points without it are then out of scope. */
  readonly projectId?: string;
  readonly granularity: Granularity;
  readonly windowStart: number;
  readonly value: number;
  readonly details?: unknown;
  /** The window is complete (past its grace period). Only ready windows are evaluated. */
  readonly ready: boolean;
}

export function windowMs(granularity: AlertGranularity): number {
  return ALERT_GRANULARITY_SECONDS[granularity] * 1000;
}

/**
 * A cheap identity of the point's instance, ordered like (model, version, column, segment).
 * NUL cannot occur in the parts: they come from Postgres text columns, which refuse it.
 */
export function seriesKey(point: MetricPoint): string {
  return `${point.modelId}\u0000${point.modelVersionId ?? ''}\u0000${point.column}\u0000${point.segment}`;
}

export function seriesLabels(point: MetricPoint): AlertLabels {
  return {
    model: point.modelId,
    version: point.modelVersionId ?? '',
    column: point.column,
    segment: point.segment,
  };
}

/** Whether an instance with these labels belongs to the rule (model scope, column selector, segment filter). */
export function labelsMatchRule(rule: AlertRuleDefinition, labels: AlertLabels): boolean {
  return selectorsMatch(rule, labels.model, labels.column, labels.segment);
}

function selectorsMatch(
  rule: AlertRuleDefinition,
  model: string,
  column: string,
  segment: string,
): boolean {
  const models = rule.scope.modelIds;
  if (models && models.length > 0 && !models.includes(model)) return false;
  switch (rule.column.kind) {
    case 'any':
      break;
    case 'one':
      if (column !== rule.column.name) return false;
      break;
    case 'list':
      if (!rule.column.names.includes(column)) return false;
      break;
  }
  return segmentMatches(rule, segment);
}

function segmentMatches(rule: AlertRuleDefinition, segment: string): boolean {
  const filter = rule.segment;
  if (!filter) return segment === '';
  const prefix = `${filter.tag}=`;
  if (!segment.startsWith(prefix)) return false;
  return filter.values === undefined || filter.values.includes(segment.slice(prefix.length));
}

/** A ready, finite point of the rule's metric and granularity inside its scope and selectors. */
export function pointMatchesRule(rule: AlertRuleDefinition, point: MetricPoint): boolean {
  if (!point.ready || point.metric !== rule.metric || point.granularity !== rule.granularity)
    return false;
  if (!Number.isFinite(point.value)) return false;
  const projects = rule.scope.projectIds;
  if (
    projects &&
    projects.length > 0 &&
    (point.projectId === undefined || !projects.includes(point.projectId))
  ) {
    return false;
  }
  return selectorsMatch(rule, point.modelId, point.column, point.segment);
}

/** label_coverage of each (model, version, segment, window), for rules with `minLabelCoverage`. */
export type LabelCoverageIndex = ReadonlyMap<string, number>;

function coverageKey(
  modelId: string,
  version: string,
  segment: string,
  windowStart: number,
): string {
  return JSON.stringify([modelId, version, segment, windowStart]);
}

export function coverageKeyOf(point: MetricPoint): string {
  return coverageKey(point.modelId, point.modelVersionId ?? '', point.segment, point.windowStart);
}

export function isCoveragePoint(rule: AlertRuleDefinition, point: MetricPoint): boolean {
  return (
    point.ready &&
    point.metric === MetricName.labelCoverage &&
    point.granularity === rule.granularity &&
    point.column === '' &&
    Number.isFinite(point.value)
  );
}

/** Later points for the same window replace earlier ones (input order), as upserts do. */
export function labelCoverageIndex(
  rule: AlertRuleDefinition,
  points: readonly MetricPoint[],
): LabelCoverageIndex {
  const index = new Map<string, number>();
  if (rule.minLabelCoverage === undefined) return index;
  for (const p of points) if (isCoveragePoint(rule, p)) index.set(coverageKeyOf(p), p.value);
  return index;
}

/**
 * A window counts as data unless the rule asks for a minimum label coverage that the window
 * does not reach. Unknown coverage (no label_coverage point) counts as too low: performance on
 * an unknown share of labels is no evidence either way.
 */
export function hasEnoughLabels(
  rule: AlertRuleDefinition,
  point: MetricPoint,
  coverage: LabelCoverageIndex,
): boolean {
  // Estimated metrics need no labels.
  if (rule.minLabelCoverage === undefined || ESTIMATED_METRICS.has(point.metric as MetricName)) return true;
  const value = coverage.get(coverageKeyOf(point));
  return value !== undefined && value >= rule.minLabelCoverage;
}
