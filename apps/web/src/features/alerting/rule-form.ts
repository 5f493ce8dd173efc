import {
  METRIC_CATEGORY,
  MODEL_LEVEL_METRICS,
  type AlertGranularity,
  type AlertSeverity,
  type AlertRuleDefinition,
  type AlertRuleDefinitionInput,
  type ComparisonOp,
  type MetricName,
  type NoDataPolicy,
  type Threshold,
} from '@vigil/contracts';

/*
 * The rule editor's state and its translation to and from a rule definition. Inputs stay
 * strings (what the form holds); the server validates the definition, so nothing is judged
 * here beyond shape — an empty required number is left out and the server names the field.
 */

export type ThresholdKind = Threshold['kind'];
export type BaselineKind = 'previous' | 'trailing_mean' | 'points_ago';

export interface RuleForm {
  name: string;
  teamId: string;
  metric: MetricName;
  columnKind: 'any' | 'one' | 'list';
  /** `one`: the column; `list`: names separated by commas. */
  columns: string;
  segmentTag: string;
  /** Optional values of the tag, separated by commas (empty: every value). */
  segmentValues: string;
  granularity: AlertGranularity;
  thresholdKind: ThresholdKind;
  op: ComparisonOp;
  /** fixed: the value; stddev: k (σ); percent_change: the change in %. */
  warning: string;
  critical: string;
  warningLow: string;
  warningHigh: string;
  criticalLow: string;
  criticalHigh: string;
  /** reference_band: the one severity its breaches have. */
  severity: AlertSeverity;
  /** stddev: trailing points; percent_change with a trailing mean: points in the mean. */
  window: string;
  minPoints: string;
  baseline: BaselineKind;
  pointsAgo: string;
  for: string;
  keepFiringForMinutes: string;
  noData: NoDataPolicy;
  minLabelCoverage: string;
  channels: string[];
  /** Empty: the team policy's repeat interval. */
  repeatIntervalMinutes: string;
  notifyOnResolve: boolean;
  enabled: boolean;
  /** Parts of a stored rule the editor does not show (set through the REST API), kept as they are. */
  kept: Partial<Pick<AlertRuleDefinition, 'scope' | 'noDataAfter'>>;
}

export const isModelLevel = (metric: MetricName) => MODEL_LEVEL_METRICS.has(metric);
export const isPerformance = (metric: MetricName) => METRIC_CATEGORY[metric] === 'performance';

export function emptyRuleForm(teamId: string): RuleForm {
  return {
    name: '',
    teamId,
    metric: 'missing_share',
    columnKind: 'any',
    columns: '',
    segmentTag: '',
    segmentValues: '',
    granularity: 'hour',
    thresholdKind: 'fixed',
    op: '>',
    warning: '',
    critical: '',
    warningLow: '',
    warningHigh: '',
    criticalLow: '',
    criticalHigh: '',
    severity: 'critical',
    window: '24',
    minPoints: '5',
    baseline: 'previous',
    pointsAgo: '24',
    for: '0',
    keepFiringForMinutes: '0',
    noData: 'nodata',
    minLabelCoverage: '',
    channels: [],
    repeatIntervalMinutes: '',
    notifyOnResolve: true,
    enabled: true,
    kept: {},
  };
}

/** A number typed into a field; blank is "not given". */
function num(text: string): number | undefined {
  const t = text.trim();
  return t === '' ? undefined : Number(t);
}

/** `{ key: value }` only when the value was given. */
function given<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function band(low: string, high: string): { low: number; high: number } | undefined {
  if (low.trim() === '' && high.trim() === '') return undefined;
  // One side missing: sent as NaN → null, so the server names the missing edge.
  return { low: num(low) ?? Number.NaN, high: num(high) ?? Number.NaN };
}

function thresholdOf(f: RuleForm): Record<string, unknown> {
  switch (f.thresholdKind) {
    case 'fixed':
      return { kind: 'fixed', ...given('warning', num(f.warning)), ...given('critical', num(f.critical)) };
    case 'band': {
      const warning = band(f.warningLow, f.warningHigh);
      const critical = band(f.criticalLow, f.criticalHigh);
      return { kind: 'band', ...(warning ? { warning } : {}), ...(critical ? { critical } : {}) };
    }
    case 'stddev':
      return {
        kind: 'stddev',
        k: { ...given('warning', num(f.warning)), ...given('critical', num(f.critical)) },
        ...given('window', num(f.window)),
        ...given('minPoints', num(f.minPoints)),
      };
    case 'percent_change':
      return {
        kind: 'percent_change',
        baseline: f.baseline === 'points_ago' ? { pointsAgo: num(f.pointsAgo) ?? Number.NaN } : f.baseline,
        ...(f.baseline === 'trailing_mean' ? given('window', num(f.window)) : {}),
        ...given('warning', num(f.warning)),
        ...given('critical', num(f.critical)),
      };
    case 'drift_verdict':
      return { kind: 'drift_verdict' };
    case 'reference_band':
      return { kind: 'reference_band', severity: f.severity };
  }
}

/** The definition the form describes, as sent to `alertRule.create`/`update`/`backtest`. */
export function toDefinition(f: RuleForm): AlertRuleDefinitionInput {
  const threshold = thresholdOf(f);
  const condition =
    f.thresholdKind === 'drift_verdict' ? { threshold } : { op: f.thresholdKind === 'band' ? 'outside_band' : f.op, threshold };
  const column = isModelLevel(f.metric) || f.columnKind === 'any'
    ? { kind: 'any' }
    : f.columnKind === 'one'
      ? { kind: 'one', name: f.columns.trim() }
      : { kind: 'list', names: list(f.columns) };
  const segmentValues = list(f.segmentValues);
  const coverage = isPerformance(f.metric) ? num(f.minLabelCoverage) : undefined;
  const keepMinutes = num(f.keepFiringForMinutes);
  const repeatMinutes = num(f.repeatIntervalMinutes);
  const definition = {
    ...f.kept,
    name: f.name.trim(),
    metric: f.metric,
    column,
    ...(f.segmentTag.trim() ? { segment: { tag: f.segmentTag.trim(), ...(segmentValues.length ? { values: segmentValues } : {}) } } : {}),
    granularity: f.granularity,
    condition,
    ...given('for', num(f.for)),
    ...given('keepFiringFor', keepMinutes === undefined ? undefined : Math.round(keepMinutes * 60)),
    noData: f.noData,
    ...given('minLabelCoverage', coverage),
    channels: f.channels,
    ...given('repeatIntervalSeconds', repeatMinutes === undefined ? undefined : Math.round(repeatMinutes * 60)),
    notifyOnResolve: f.notifyOnResolve,
    enabled: f.enabled,
  };
  // The server is the judge of everything beyond this shape.
  return definition as AlertRuleDefinitionInput;
}

const text = (n: number | undefined) => (n === undefined ? '' : String(n));

/** The form for editing a stored rule. */
export function fromDefinition(d: AlertRuleDefinition, teamId: string): RuleForm {
  const f = emptyRuleForm(teamId);
  const t = d.condition.threshold;
  Object.assign(f, {
    name: d.name,
    metric: d.metric,
    columnKind: d.column.kind,
    columns: d.column.kind === 'one' ? d.column.name : d.column.kind === 'list' ? d.column.names.join(', ') : '',
    segmentTag: d.segment?.tag ?? '',
    segmentValues: d.segment?.values?.join(', ') ?? '',
    granularity: d.granularity,
    thresholdKind: t.kind,
    op: d.condition.op ?? '>',
    for: String(d.for),
    keepFiringForMinutes: String(d.keepFiringFor / 60),
    noData: d.noData,
    minLabelCoverage: text(d.minLabelCoverage),
    channels: [...d.channels],
    repeatIntervalMinutes: d.repeatIntervalSeconds === undefined ? '' : String(d.repeatIntervalSeconds / 60),
    notifyOnResolve: d.notifyOnResolve,
    enabled: d.enabled,
    kept: {
      ...(d.scope.projectIds?.length || d.scope.modelIds?.length ? { scope: d.scope } : {}),
      ...(d.noDataAfter !== undefined ? { noDataAfter: d.noDataAfter } : {}),
    },
  } satisfies Partial<RuleForm>);
  switch (t.kind) {
    case 'fixed':
      Object.assign(f, { warning: text(t.warning), critical: text(t.critical) });
      break;
    case 'band':
      Object.assign(f, {
        warningLow: text(t.warning?.low),
        warningHigh: text(t.warning?.high),
        criticalLow: text(t.critical?.low),
        criticalHigh: text(t.critical?.high),
      });
      break;
    case 'stddev':
      Object.assign(f, { warning: text(t.k.warning), critical: text(t.k.critical), window: String(t.window), minPoints: String(t.minPoints) });
      break;
    case 'percent_change':
      Object.assign(f, {
        warning: text(t.warning),
        critical: text(t.critical),
        window: String(t.window),
        baseline: typeof t.baseline === 'object' ? 'points_ago' : t.baseline,
        pointsAgo: typeof t.baseline === 'object' ? String(t.baseline.pointsAgo) : f.pointsAgo,
      });
      break;
    case 'reference_band':
      f.severity = t.severity;
      break;
    case 'drift_verdict':
      break;
  }
  return f;
}

const OP_WORD: Record<ComparisonOp, string> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤', outside_band: 'outside' };

function levels(warning: string | undefined, critical: string | undefined): string {
  return [warning !== undefined ? `warn ${warning}` : '', critical !== undefined ? `crit ${critical}` : ''].filter(Boolean).join(' · ');
}

/** One line for the rules table: "> warn 0.1 · crit 0.3", "drift test verdict", … */
export function conditionSummary(d: AlertRuleDefinition): string {
  const t = d.condition.threshold;
  const op = OP_WORD[d.condition.op ?? '>'];
  const s = (n: number | undefined) => (n === undefined ? undefined : String(n));
  switch (t.kind) {
    case 'fixed':
      return `${op} ${levels(s(t.warning), s(t.critical))}`;
    case 'band': {
      const b = (x: { low: number; high: number } | undefined) => (x ? `[${x.low}, ${x.high}]` : undefined);
      return `outside ${levels(b(t.warning), b(t.critical))}`;
    }
    case 'stddev': {
      const k = (n: number | undefined) => (n === undefined ? undefined : `${n}σ`);
      const dir = d.condition.op === 'outside_band' ? '±' : op;
      return `${dir} ${levels(k(t.k.warning), k(t.k.critical))} over ${t.window} points`;
    }
    case 'percent_change': {
      const p = (n: number | undefined) => (n === undefined ? undefined : `${n}%`);
      const dir = d.condition.op === 'outside_band' ? 'changes by' : d.condition.op === '<' || d.condition.op === '<=' ? 'falls by' : 'rises by';
      const base = typeof t.baseline === 'object' ? `${t.baseline.pointsAgo} points ago` : t.baseline === 'previous' ? 'previous window' : `mean of ${t.window}`;
      return `${dir} ${levels(p(t.warning), p(t.critical))} vs ${base}`;
    }
    case 'drift_verdict':
      return 'drift test verdict';
    case 'reference_band': {
      const dir = d.condition.op === '<' ? 'below' : d.condition.op === '>' ? 'above' : 'outside';
      return `${dir} the reference band (${t.severity})`;
    }
  }
}

/** The editor's fields that show errors; `form` collects what fits none of them. */
export type RuleField =
  | 'name'
  | 'teamId'
  | 'metric'
  | 'column'
  | 'segment'
  | 'granularity'
  | 'op'
  | 'threshold'
  | 'warning'
  | 'critical'
  | 'window'
  | 'baseline'
  | 'for'
  | 'keepFiringFor'
  | 'noData'
  | 'minLabelCoverage'
  | 'channels'
  | 'repeatInterval'
  | 'form';

const PREFIXES: [string, RuleField][] = [
  ['condition.threshold.warning', 'warning'],
  ['condition.threshold.critical', 'critical'],
  ['condition.threshold.k.warning', 'warning'],
  ['condition.threshold.k.critical', 'critical'],
  ['condition.threshold.window', 'window'],
  ['condition.threshold.minPoints', 'window'],
  ['condition.threshold.baseline', 'baseline'],
  ['condition.threshold', 'threshold'],
  ['condition.op', 'op'],
  ['condition', 'threshold'],
  ['name', 'name'],
  ['teamId', 'teamId'],
  ['metric', 'metric'],
  ['column', 'column'],
  ['segment', 'segment'],
  ['granularity', 'granularity'],
  ['for', 'for'],
  ['keepFiringFor', 'keepFiringFor'],
  ['noData', 'noData'],
  ['minLabelCoverage', 'minLabelCoverage'],
  ['channels', 'channels'],
  ['repeatIntervalSeconds', 'repeatInterval'],
];

/** The field a server error path (`channels.0`, `definition.condition.op`, …) belongs to. */
export function fieldOfPath(path: string): RuleField {
  const p = path.startsWith('definition.') ? path.slice('definition.'.length) : path;
  // Longest prefix first: `condition.threshold.k.critical` before `condition.threshold`.
  const match = [...PREFIXES].sort((a, b) => b[0].length - a[0].length).find(([prefix]) => p === prefix || p.startsWith(`${prefix}.`));
  return match?.[1] ?? 'form';
}

/** Server field errors grouped by the editor's fields (messages of one field joined). */
export function ruleFieldErrors(errors: readonly { path: string; message: string }[]): Partial<Record<RuleField, string>> {
  const out: Partial<Record<RuleField, string>> = {};
  for (const e of errors) {
    const field = fieldOfPath(e.path);
    const message = field === 'form' && e.path ? `${e.path}: ${e.message}` : e.message;
    out[field] = out[field] ? `${out[field]}; ${message}` : message;
  }
  return out;
}
