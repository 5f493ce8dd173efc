#!/usr/bin/env node
// Seeds the web benchmark's database (`vigil_bench_web`): one workspace as the monitoring pages
// see it after a month of traffic, written with the data layer's own functions.
//
// - an owner who signs in with email + password (`ensureWorkspace`, argon2id as the web app),
//   4 teams, 20 projects;
// - 100 models: 60 binary classifiers (prediction + score) and 40 regressors, each with 8
//   features (4–6 numerical, the rest categorical), model columns, a task and a name; half of
//   them with a segment tag (`region`, 4 values); 10 with a second version rolled out 10 days ago;
// - a ready reference per model: 2,000 generated rows through `uploadReference` and the
//   worker's `buildReferenceProfile`;
// - 30 days of metric points as the worker writes them (`upsertMetricPoints`, 20,000 points per
//   statement, in time order across models as the worker would): `hour` windows every hour,
//   `day` windows every day (both as the exact recompute leaves them: volume, labels, quality,
//   drift with its details, performance with its confusion matrix, label-free estimates with their
//   bands and the PCA reconstruction error), `rolling_1h` windows of the
//   last 8 days as streaming writes them (no labels or performance), one every `--rolling-every`
//   minutes (streaming writes one a minute while events flow: 15 keeps the seed to minutes), and
//   per segment the hour and day points the segments tab reads;
// - scenarios so every health level shows: 8 models drifting now (3 with dataset drift), 3 with
//   a drift episode 11 days ago, 3 with a missing-value spike now, 4 losing performance over the
//   last 3 days, 3 without labels, 2 that stopped reporting 2 days ago; labels arrive late (the
//   newest 36 hours are partly labelled);
// - alert rules per team and their instances (firing for what drifts or misses values now,
//   resolved for the old episodes) with their state changes, as the evaluator stores them;
// - each version's streaming state (newest event time, events merged);
// - for the measured models, hour and day column profiles of every column over the 30 days
//   (`upsertProfiles`, serialized `@vigil/metrics` profiles on the reference's bin edges), which
//   the drift tab's distribution chart merges.
//
//   node bench/web/seed.mjs [--models 100] [--rolling-every 15] [--chunk 20000]
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { alertFingerprint } from '@vigil/alerting';
import {
  addModelColumns,
  advanceStream,
  createAlertRule,
  createDb,
  createProject,
  createTeam,
  ensureDatabase,
  ensureWorkspace,
  finishedTransactionsBelow,
  generateApiKey,
  inTransaction,
  insertAlertEvents,
  migrate,
  referenceProfile,
  saveAlertInstances,
  updateModelSettings,
  upsertMetricPoints,
  upsertModel,
  upsertModelVersion,
  upsertProfiles,
} from '@vigil/db';
import { createProfile, deserializeDatasetProfile, mergeProfiles, serializeProfile, updateProfile } from '@vigil/metrics';
import { buildReferenceProfile, uploadReference } from '@vigil/services';
import { freshDatabase } from '../support.mjs';

export const DB_URL = 'postgresql://postgres@127.0.0.1:5432/vigil_bench_web';
export const BENCH_USER = { email: 'bench@vigil.local', password: 'vigil-bench-password-0123' };
export const WORKSPACE = 'Bench Workspace';
/** The models whose pages the benchmark loads: a drifting classifier with segments and alerts, and one with two versions. */
export const MEASURED = { model: 0, versions: 5 };

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const HISTORY_HOURS = 30 * 24;
const ROLLING_DAYS = 8;

const TEAMS = ['Risk', 'Growth', 'Operations', 'Platform'];
const PROJECTS = [
  'Payments', 'Checkout', 'Lending', 'Onboarding', 'Search', 'Recommendations', 'Pricing', 'Logistics', 'Support', 'Marketing',
  'Insurance', 'Ads', 'Catalog', 'Identity', 'Billing', 'Retention', 'Forecasting', 'Risk Ops', 'Inventory', 'Messaging',
];
const CLASSIFIERS = ['fraud-score', 'churn-risk', 'default-risk', 'click-through', 'conversion', 'spam-filter', 'approval', 'upsell'];
const REGRESSORS = ['delivery-eta', 'price-estimate', 'demand-forecast', 'lifetime-value', 'basket-size'];
const NUMERICAL = [
  { name: 'amount', mu: 3.6, sd: 1.0, log: true },
  { name: 'account_age_days', mu: 420, sd: 260 },
  { name: 'txn_count_7d', mu: 12, sd: 6 },
  { name: 'avg_basket', mu: 58, sd: 21 },
  { name: 'session_seconds', mu: 310, sd: 140 },
  { name: 'distance_km', mu: 7.5, sd: 3.2 },
];
const CATEGORICAL = [
  { name: 'country', values: ['us', 'de', 'fr', 'gb', 'br', 'in', 'jp', 'es'] },
  { name: 'channel', values: ['web', 'ios', 'android', 'pos'] },
  { name: 'device_type', values: ['desktop', 'mobile', 'tablet'] },
  { name: 'plan', values: ['free', 'basic', 'pro', 'enterprise'] },
  { name: 'merchant_category', values: ['grocery', 'travel', 'electronics', 'fashion', 'gaming', 'fuel'] },
];
const SEGMENTS = [
  { segment: 'region=eu', share: 0.42, perf: 0 },
  { segment: 'region=us', share: 0.33, perf: 0.01 },
  { segment: 'region=apac', share: 0.15, perf: -0.06 },
  { segment: 'region=latam', share: 0.1, perf: -0.02 },
];
const DRIFT_THRESHOLD = 0.1;

// Scenarios, by model index (model 0 is the one whose page is measured).
const DRIFTING = new Map([
  [0, { hoursAgo: 30, features: 5, output: true }],
  [7, { hoursAgo: 14, features: 2 }],
  [19, { hoursAgo: 52, features: 4, output: true }],
  [26, { hoursAgo: 9, features: 1 }],
  [38, { hoursAgo: 20, features: 3 }],
  [51, { hoursAgo: 60, features: 2 }],
  [63, { hoursAgo: 6, features: 4 }],
  [88, { hoursAgo: 40, features: 2 }],
]);
const PAST_DRIFT = new Set([12, 44, 77]);
const QUALITY_SPIKE = new Set([3, 33, 71]);
const PERF_DROP = new Set([9, 21, 56, 90]);
const NO_LABELS = new Set([14, 47, 82]);
const STALE = new Set([29, 95]);

// ───────────── deterministic noise ─────────────

/** A uniform [0, 1) number from integers: the same arguments give the same number, run after run. */
function hash(a, b = 0, c = 0, d = 0) {
  let h = 0x9e3779b9 ^ Math.imul(a | 0, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15) ^ Math.imul(b | 0, 0xc2b2ae35), 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 13) ^ Math.imul(c | 0, 0x165667b1), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16) ^ Math.imul(d | 0, 0xd3a2646c), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
/** A standard normal from integers (Box–Muller on two hashes). */
function gauss(a, b, c, d) {
  const u = Math.max(1e-12, hash(a, b, c, d));
  const v = hash(a ^ 0x5bd1e995, b + 7, c + 13, d + 29);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
/** mulberry32: a seeded stream of uniforms for generated rows. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const normal = (r) => Math.sqrt(-2 * Math.log(Math.max(1e-12, r()))) * Math.cos(2 * Math.PI * r());
const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));
const METRIC_CODE = new Map();
const code = (metric) => {
  if (!METRIC_CODE.has(metric)) METRIC_CODE.set(metric, METRIC_CODE.size + 1);
  return METRIC_CODE.get(metric);
};

// ───────────── the workspace's models ─────────────

/** The models' shapes and scenarios (no ids yet), a pure function of the index and the anchor. */
export function modelSpecs(count, anchor) {
  const specs = [];
  for (let i = 0; i < count; i++) {
    const classifier = i % 5 < 3;
    const nNum = 4 + (i % 3);
    const features = [];
    for (let k = 0; k < nNum; k++) {
      const f = NUMERICAL[(i + k) % NUMERICAL.length];
      features.push({ ...f, kind: 'numerical', index: k, base: 0.02 + 0.04 * hash(i, k, 1), amp: 0.12 + 0.25 * hash(i, k, 2) });
    }
    for (let k = 0; k < 8 - nNum; k++) {
      const f = CATEGORICAL[(i + k) % CATEGORICAL.length];
      features.push({ ...f, kind: 'categorical', index: nNum + k, base: 0.01 + 0.04 * hash(i, k, 3), amp: 0.12 + 0.25 * hash(i, k, 4) });
    }
    // A few features miss values now and then, as real ones do.
    for (const f of features) f.missing = hash(i, f.index, 5) < 0.25 ? 0.002 + 0.03 * hash(i, f.index, 6) : 0;
    const outputs = classifier
      ? [
          { role: 'prediction', name: 'prediction', column: 'prediction:prediction', kind: 'numerical', test: 'jensenshannon', base: 0.01 + 0.02 * hash(i, 90), amp: 0.15 },
          { role: 'score', name: 'score', column: 'score:score', kind: 'numerical', test: 'wasserstein', base: 0.02 + 0.03 * hash(i, 91), amp: 0.2 },
        ]
      : [{ role: 'prediction', name: 'prediction', column: 'prediction:prediction', kind: 'numerical', test: 'wasserstein', base: 0.02 + 0.03 * hash(i, 92), amp: 0.2 }];
    const family = classifier ? CLASSIFIERS : REGRESSORS;
    const base = family[Math.floor(i / 5) % family.length];
    const drifting = DRIFTING.get(i);
    specs.push({
      index: i,
      slug: `${base}-${String(i).padStart(2, '0')}`,
      name: `${base.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase())} ${String(i).padStart(2, '0')}`,
      task: classifier ? 'binary' : 'regression',
      project: i % PROJECTS.length,
      features,
      outputs,
      // Predictions per hour at the daily peak: 150 … 5,000 (log-uniform), 500 for the measured model.
      volume: i === MEASURED.model ? 500 : Math.round(150 * Math.exp(Math.log(5_000 / 150) * hash(i, 7))),
      coverage: NO_LABELS.has(i) ? 0 : 0.45 + 0.5 * hash(i, 8),
      labelDelayHours: 6 + 30 * hash(i, 9),
      perf: classifier ? 0.72 + 0.2 * hash(i, 10) : 4 + 40 * hash(i, 11),
      segments: i % 2 === 0,
      drift: drifting ? { from: anchor - drifting.hoursAgo * HOUR, features: drifting.features, output: !!drifting.output } : null,
      pastDrift: PAST_DRIFT.has(i) ? { from: anchor - 12 * DAY, to: anchor - 11 * DAY, features: 3 } : null,
      qualitySpike: QUALITY_SPIKE.has(i) ? { from: anchor - 5 * HOUR, feature: 0, share: 0.32 } : null,
      perfDrop: PERF_DROP.has(i) ? { from: anchor - 3 * DAY } : null,
      staleFrom: STALE.has(i) ? anchor - 2 * DAY : null,
      rolloutAt: i % 10 === 5 ? anchor - 10 * DAY : null,
    });
  }
  return specs;
}

/** How far a column has drifted at `t`: 0 (not) … 1 (fully, six hours into an episode). */
function driftLevel(m, column, t) {
  let level = 0;
  const ramp = (from) => clamp((t - from) / (6 * HOUR), 0, 1);
  if (m.drift && t >= m.drift.from) {
    const affected = column.index !== undefined ? column.index < m.drift.features : m.drift.output;
    if (affected) level = ramp(m.drift.from);
  }
  if (m.pastDrift && t >= m.pastDrift.from && t < m.pastDrift.to && column.index !== undefined && column.index < m.pastDrift.features) {
    level = Math.max(level, ramp(m.pastDrift.from));
  }
  return level;
}

/** Predictions in the hour starting at `h`: a daily cycle, a quieter weekend, some noise. */
function hourVolume(m, h) {
  const hourOfDay = (h / HOUR) % 24;
  const weekday = new Date(h).getUTCDay();
  const cycle = 0.55 + 0.45 * Math.sin((2 * Math.PI * (hourOfDay - 9)) / 24);
  const weekend = weekday === 0 || weekday === 6 ? 0.8 : 1;
  return Math.max(1, Math.round(m.volume * cycle * weekend * (1 + 0.08 * gauss(m.index, h / MINUTE, 1))));
}

/** Share of a window's predictions labelled by `anchor`: labels arrive `labelDelayHours` late. */
function labelledShare(m, windowEnd, anchor) {
  if (m.coverage === 0) return 0;
  const age = (anchor - windowEnd) / HOUR;
  return m.coverage * clamp(age / (m.labelDelayHours * 1.5), 0, 1);
}

/**
 * The points one window of one version holds, as the exact recompute (hour, day) or streaming
 * (rolling_1h) writes them. `n` predictions, `labels` labelled, `t` the time the values describe.
 */
function windowPoints(m, base, w) {
  const { granularity, t, n, labels, labelDelay } = w;
  const points = [];
  const tm = Math.floor(base.windowStart.getTime() / MINUTE);
  const gcode = granularity === 'day' ? 3 : granularity === 'hour' ? 2 : 1;
  const { organizationId, projectId, modelId, modelVersionId, windowStart } = base;
  const point = (metric, value, columnName = '', details = undefined, segment = '') => {
    points.push({ organizationId, projectId, modelId, modelVersionId, metric, columnName, segment, granularity, windowStart, value, details });
  };
  const noise = (metric, col, sd) => sd * gauss(m.index * 64 + col, tm, code(metric), gcode);
  // Noise of window statistics shrinks with the window's size.
  const scale = Math.sqrt(400 / Math.max(n, 40));
  const batch = granularity !== 'rolling_1h';

  point('prediction_count', n);
  if (batch || labels > 0) point('label_count', labels);
  if (batch && labels > 0) {
    point('label_coverage', labels / n);
    point('label_delay_seconds', labelDelay);
  }

  let drifted = 0;
  let levels = 0;
  const columns = [...m.features, ...m.outputs];
  columns.forEach((c, ci) => {
    const name = c.column ?? c.name;
    const level = driftLevel(m, c, t);
    if (c.index !== undefined) levels += level;
    let missing = c.missing ? clamp(c.missing + noise('missing_share', ci, 0.004 * scale), 0, 1) : 0;
    if (m.qualitySpike && c.index === m.qualitySpike.feature && t >= m.qualitySpike.from) missing = m.qualitySpike.share;
    point('missing_share', missing, name);
    point('type_mismatch_share', 0, name);
    if (c.kind === 'numerical') point('out_of_range_share', clamp(0.002 + 0.08 * level + noise('out_of_range_share', ci, 0.002 * scale), 0, 1), name);
    else point('new_category_share', clamp(0.0005 + 0.05 * level + noise('new_category_share', ci, 0.0005 * scale), 0, 1), name);
    const score = Math.max(0.001, c.base + c.amp * level + noise('drift_score', ci, 0.012 * scale));
    const test = c.test ?? (c.kind === 'numerical' ? 'wasserstein' : 'jensenshannon');
    const details = { test, threshold: DRIFT_THRESHOLD, scoreKind: 'distance', basis: 'exact' };
    const isDrifted = score >= DRIFT_THRESHOLD;
    point('drift_score', score, name, details);
    point('drift_detected', isDrifted ? 1 : 0, name, details);
    if (c.index !== undefined && isDrifted) drifted++;
  });
  const features = m.features.length;
  const shareDetails = { driftedColumns: drifted, columns: features, driftShare: 0.5 };
  point('drifted_columns_share', drifted / features, '', shareDetails);
  point('dataset_drift', drifted / features >= 0.5 ? 1 : 0, '', shareDetails);

  const meanLevel = levels / features;
  // Label-free estimates, as the worker writes them for every window: CBPE for classifiers
  // (F1 and accuracy with a ±3 SE band and the reference band), PCA reconstruction error for all.
  if (m.task === 'binary') {
    const se = 0.25 / Math.sqrt(Math.max(n, 25));
    for (const [metric, offset, ref] of [
      ['estimated_f1', 0, [m.perf - 0.06, m.perf + 0.04]],
      ['estimated_accuracy', 0.06, [m.perf, m.perf + 0.09]],
      ['estimated_precision', 0.03, [m.perf - 0.03, m.perf + 0.07]],
      ['estimated_recall', -0.02, [m.perf - 0.08, m.perf + 0.02]],
      ['estimated_roc_auc', 0.08, [m.perf + 0.02, m.perf + 0.12]],
    ]) {
      const value = clamp(m.perf + offset - 0.06 * meanLevel + noise(metric, 0, 0.01 * scale), 0.05, 0.99);
      const banded = metric === 'estimated_f1' || metric === 'estimated_accuracy';
      point(metric, value, '', {
        samplingError: banded ? se : null,
        lower: banded ? clamp(value - 3 * se, 0, 1) : null,
        upper: banded ? clamp(value + 3 * se, 0, 1) : null,
        thresholdLower: ref[0],
        thresholdUpper: clamp(ref[1], 0, 1),
      });
    }
  }
  const error = 1 + 0.6 * meanLevel + noise('reconstruction_error', 0, 0.03 * scale);
  point('reconstruction_error', error, '', { lower: 0.9, upper: 1.12, drifted: error > 1.12 || error < 0.9, samplingError: 0.01 * scale });
  if (batch && labels > 0) {
    const perfScale = Math.sqrt(30 / Math.max(labels, 5));
    const drop = m.perfDrop && t >= m.perfDrop.from ? clamp((t - m.perfDrop.from) / (3 * DAY), 0, 1) : 0;
    if (m.task === 'binary') {
      const f1 = clamp(m.perf - 0.12 * drop - 0.06 * meanLevel + noise('f1', 0, 0.02 * perfScale), 0.05, 0.99);
      classifierPoints(point, m, f1, labels, noise('precision', 0, 0.015 * perfScale));
    } else {
      const rmse = Math.max(0.1, m.perf * (1 + 0.25 * drop + 0.15 * meanLevel + noise('rmse', 0, 0.04 * perfScale)));
      const details = { task: 'regression', rows: labels };
      point('mae', rmse * 0.78, '', details);
      point('rmse', rmse, '', details);
      point('mape', clamp(0.06 + rmse / (m.perf * 12), 0, 5), '', details);
      point('r2', clamp(0.85 - 0.3 * (rmse / m.perf - 1), -1, 1), '', details);
      point('mean_error', rmse * 0.1 * noise('mean_error', 0, 1), '', details);
    }
  }

  // Per segment: what the segments tab reads (volume, drift share, labels, the headline metric).
  if (m.segments && batch) {
    for (const [si, s] of SEGMENTS.entries()) {
      const sn = Math.max(1, Math.round(n * s.share));
      const sl = Math.round(labels * s.share);
      point('prediction_count', sn, '', undefined, s.segment);
      point('drifted_columns_share', clamp(drifted / features + noise('segment_drift', si, 0.05), 0, 1), '', undefined, s.segment);
      point('label_count', sl, '', undefined, s.segment);
      if (sl > 0) {
        point('label_coverage', sl / sn, '', undefined, s.segment);
        const perfScale = Math.sqrt(30 / Math.max(sl, 5));
        if (m.task === 'binary') point('f1', clamp(m.perf + s.perf - 0.06 * meanLevel + noise('segment_f1', si, 0.02 * perfScale), 0.05, 0.99), '', undefined, s.segment);
        else point('rmse', Math.max(0.1, m.perf * (1 - 2 * s.perf + noise('segment_rmse', si, 0.04 * perfScale))), '', undefined, s.segment);
      }
    }
  }
  return points;
}

/** A binary classifier's metrics and confusion matrix for `labels` labelled rows at a given F1. */
function classifierPoints(point, m, f1, labels, jitter) {
  const positives = Math.max(1, Math.round(labels * 0.22));
  const precision = clamp(f1 + 0.03 + jitter, 0.01, 0.999);
  const recall = clamp((f1 * precision) / Math.max(0.01, 2 * precision - f1), 0.01, 0.999);
  const tp = Math.round(positives * recall);
  const fn = positives - tp;
  const fp = Math.min(labels - positives, Math.round(tp / precision - tp));
  const tn = labels - positives - fp;
  const details = { task: 'binary', rows: labels, labels: ['0', '1'], confusionMatrix: [[tn, fp], [fn, tp]], positiveLabel: '1' };
  point('accuracy', (tp + tn) / labels, '', details);
  point('precision', tp + fp > 0 ? tp / (tp + fp) : 0, '', details);
  point('recall', tp / positives, '', details);
  point('f1', tp > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0, '', details);
  point('roc_auc', clamp(f1 + 0.08, 0.5, 0.995), '', details);
  point('log_loss', clamp(0.65 - 0.5 * f1, 0.05, 2), '', details);
}

// ───────────── reference rows and profiles ─────────────

/** One generated row of model `m` at drift level `level` (0: as the reference). */
function generateRow(m, r, level = () => 0) {
  const row = {};
  let z = 0;
  for (const f of m.features) {
    const l = level(f);
    if (f.missing && r() < f.missing) {
      row[f.name] = null;
      continue;
    }
    if (f.kind === 'numerical') {
      const x = f.mu + f.sd * (normal(r) + 1.2 * l);
      row[f.name] = f.log ? Math.round(Math.exp(x) * 100) / 100 : Math.round(x * 100) / 100;
      z += (normal(r) * 0.3 + (x - f.mu) / f.sd) * 0.4;
    } else {
      // Skewed towards the first values; drift moves weight to the last ones.
      const k = f.values.length;
      const u = r();
      const idx = Math.min(k - 1, Math.floor(k * (l > 0 && r() < 0.5 * l ? 1 - u * u : u * u)));
      row[f.name] = f.values[idx];
      z += idx === 0 ? 0.5 : 0;
    }
  }
  if (m.task === 'binary') {
    const score = 1 / (1 + Math.exp(-(z - 1.3 + normal(r) * 0.8)));
    row.score = Math.round(score * 10_000) / 10_000;
    row.prediction = score >= 0.5 ? 1 : 0;
    row.label = r() < score * 0.9 + 0.03 ? 1 : 0;
  } else {
    const y = m.perf * 4 + m.perf * z;
    row.prediction = Math.round(y * 100) / 100;
    row.label = Math.round((y + normal(r) * m.perf) * 100) / 100;
  }
  return row;
}

function referenceCsv(m, rows) {
  const r = rng(1_000 + m.index);
  const header = [...m.features.map((f) => f.name), 'prediction', ...(m.task === 'binary' ? ['score'] : []), 'label'];
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const row = generateRow(m, r);
    lines.push(header.map((h) => (row[h] === null || row[h] === undefined ? '' : String(row[h]))).join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * Hour profiles of every column of model `m` over the history (values generated with the same
 * drift as its points), each day's merged into a day profile, stored as the worker stores them.
 */
async function seedProfiles(db, m, owner, edges, hours, anchor) {
  const columns = [...m.features.map((f) => ({ role: 'feature', name: f.name, kind: f.kind, spec: f })), ...m.outputs.map((o) => ({ role: o.role, name: o.name, kind: o.kind, spec: o }))];
  const r = rng(77 + m.index);
  let items = [];
  let day = null;
  let dayProfiles = null;
  let stored = 0;
  const flush = async () => {
    if (items.length === 0) return;
    await upsertProfiles(db.pool, owner, items, serializeProfile);
    stored += items.length;
    items = [];
  };
  const closeDay = () => {
    if (!dayProfiles) return;
    columns.forEach((c, ci) => items.push({ key: { granularity: 'day', windowStart: day, role: c.role, name: c.name, segment: '' }, events: dayProfiles[ci].count, profile: dayProfiles[ci] }));
  };
  for (const h of hours) {
    if (m.staleFrom && h >= m.staleFrom) break;
    const d = Math.floor(h / DAY) * DAY;
    if (d !== day) {
      closeDay();
      await flush();
      day = d;
      dayProfiles = null;
    }
    const n = h + HOUR > anchor ? Math.max(1, Math.round(hourVolume(m, h) * ((anchor - h) / HOUR))) : hourVolume(m, h);
    const profiles = columns.map((c) => createProfile(c.kind, { seed: (hash(m.index, h / MINUTE, c.name.length) * 4294967295) >>> 0, ...(edges.get(`${c.role}:${c.name}`) ? { histogramEdges: edges.get(`${c.role}:${c.name}`) } : {}) }));
    const t = h + HOUR / 2;
    const level = (spec) => driftLevel(m, spec, t);
    for (let e = 0; e < n; e++) {
      const row = generateRow(m, r, level);
      columns.forEach((c, ci) => updateProfile(profiles[ci], row[c.name]));
    }
    columns.forEach((c, ci) => items.push({ key: { granularity: 'hour', windowStart: h, role: c.role, name: c.name, segment: '' }, events: n, profile: profiles[ci] }));
    dayProfiles = dayProfiles ? dayProfiles.map((p, ci) => mergeProfiles(p, profiles[ci])) : profiles;
  }
  closeDay();
  await flush();
  return stored;
}

// ───────────── the seed ─────────────

/**
 * Recreates the database and seeds it. Returns what the benchmark needs: the workspace, the
 * sign-in, the measured models, row counts and how long each step took.
 */
export async function seedWeb(opts = {}) {
  const url = opts.url ?? DB_URL;
  const count = opts.models ?? 100;
  const rollingEvery = (opts.rollingEveryMinutes ?? 15) * MINUTE;
  const chunk = opts.chunk ?? 20_000;
  const log = opts.log ?? ((s) => console.log(s));
  const started = performance.now();
  const timings = {};
  const lap = (name, since) => (timings[name] = Math.round(performance.now() - since));

  await freshDatabase(url);
  await ensureDatabase(url);
  await migrate(url);
  const db = createDb({ url, max: 6, applicationName: 'vigil-bench-web-seed' });
  try {
    const anchor = opts.now ?? Date.now();
    const specs = modelSpecs(count, anchor);

    // Workspace, owner, teams, projects.
    let t0 = performance.now();
    const ids = await ensureWorkspace(db.system, {
      organization: WORKSPACE,
      team: TEAMS[0],
      project: PROJECTS[0],
      apiKey: generateApiKey().secret,
      userEmail: BENCH_USER.email,
      userPassword: BENCH_USER.password,
      userName: 'Bench Owner',
    });
    const organizationId = ids.organizationId;
    const t = db.forTenant(organizationId);
    const actor = { organizationId, userId: ids.userId };
    const teamIds = [ids.teamId];
    for (const name of TEAMS.slice(1)) teamIds.push((await createTeam(t, actor, name)).id);
    const projectIds = [ids.projectId];
    for (let p = 1; p < PROJECTS.length; p++) projectIds.push((await createProject(t, actor, teamIds[p % TEAMS.length], { name: PROJECTS[p] })).id);

    // Models, versions, columns, settings, references (four at a time: most of it is Postgres and argon-free).
    const models = [];
    const queue = [...specs];
    const workers = Array.from({ length: 4 }, async () => {
      for (let m = queue.shift(); m; m = queue.shift()) {
        const tenant = { organizationId, projectId: projectIds[m.project] };
        const modelId = await upsertModel(db.pool, tenant, m.slug);
        const v1 = await upsertModelVersion(db.pool, tenant, modelId, m.rolloutAt ? 'v1' : 'default');
        const v2 = m.rolloutAt ? await upsertModelVersion(db.pool, tenant, modelId, 'v2') : null;
        await addModelColumns(db.pool, tenant, modelId, [
          ...m.features.map((f) => ({ role: 'feature', name: f.name, kind: f.kind })),
          ...m.outputs.map((o) => ({ role: o.role, name: o.name, kind: o.kind })),
        ]);
        await updateModelSettings(t, actor, modelId, { name: m.name, task: m.task, ...(m.segments ? { segmentTags: ['region'] } : {}) });
        const up = await uploadReference(db, tenant, modelId, 'training set', 'csv', Readable.from([referenceCsv(m, opts.referenceRows ?? 2_000)]));
        await buildReferenceProfile(db, { organizationId, projectId: tenant.projectId, modelId, referenceDatasetId: up.datasetId });
        models[m.index] = { ...m, id: modelId, projectId: tenant.projectId, teamId: teamIds[m.project % TEAMS.length], v1, v2, datasetId: up.datasetId, events: new Map() };
      }
    });
    await Promise.all(workers);
    lap('modelsAndReferences', t0);
    log(`  ${count} models with references in ${(timings.modelsAndReferences / 1000).toFixed(1)} s`);

    // Metric points, in time order across models.
    t0 = performance.now();
    const nowHour = Math.floor(anchor / HOUR) * HOUR;
    const hours = Array.from({ length: HISTORY_HOURS }, (_, k) => nowHour - (HISTORY_HOURS - 1 - k) * HOUR);
    const currentMinute = Math.floor(anchor / MINUTE) * MINUTE;
    const rollingStarts = [];
    for (let s = currentMinute - 59 * MINUTE; s > anchor - ROLLING_DAYS * DAY; s -= rollingEvery) rollingStarts.push(s);
    rollingStarts.reverse();
    let pending = [];
    const inFlight = new Set();
    let written = 0;
    const write = async () => {
      const rows = pending;
      pending = [];
      const p = upsertMetricPoints(db.pool, rows).then((n) => (written += n));
      inFlight.add(p);
      p.finally(() => inFlight.delete(p));
      if (inFlight.size >= 2) await Promise.race(inFlight);
    };
    const emit = async (points) => {
      for (const p of points) pending.push(p);
      if (pending.length >= chunk) await write();
    };
    const versionAt = (m, t) => (m.v2 && t >= m.rolloutAt ? m.v2 : m.v1);
    const baseOf = (m, versionId, granularity, windowStart) => ({
      organizationId,
      projectId: m.projectId,
      modelId: m.id,
      modelVersionId: versionId,
      granularity,
      windowStart: new Date(windowStart),
    });
    // Hour volumes and labels, kept for the day windows and the streaming state.
    const hourly = models.map(() => new Map());
    let r = 0;
    for (const [k, h] of hours.entries()) {
      const end = Math.min(h + HOUR, anchor);
      for (const m of models) {
        if (m.staleFrom && h >= m.staleFrom) continue;
        const n = h + HOUR > anchor ? Math.max(1, Math.round(hourVolume(m, h) * ((anchor - h) / HOUR))) : hourVolume(m, h);
        const labels = Math.round(n * labelledShare(m, end, anchor));
        const versionId = versionAt(m, h);
        hourly[m.index].set(h, { n, labels, versionId });
        m.events.set(versionId, (m.events.get(versionId) ?? 0) + n);
        await emit(windowPoints(m, baseOf(m, versionId, 'hour', h), { granularity: 'hour', t: h + HOUR / 2, n, labels, labelDelay: m.labelDelayHours * 3600 * (0.8 + 0.4 * hash(m.index, h / MINUTE, 99)) }));
      }
      // Rolling windows starting in this hour (streaming writes them as it goes).
      while (r < rollingStarts.length && rollingStarts[r] < h + HOUR) {
        const s = rollingStarts[r++];
        for (const m of models) {
          if (m.staleFrom && s >= m.staleFrom - HOUR) continue;
          const n = hourVolume(m, Math.floor((s + 30 * MINUTE) / HOUR) * HOUR);
          await emit(windowPoints(m, baseOf(m, versionAt(m, s), 'rolling_1h', s), { granularity: 'rolling_1h', t: s + 30 * MINUTE, n, labels: 0, labelDelay: 0 }));
        }
      }
      // A day closes (or the history ends): its day windows, one per version that reported in it.
      const last = k === hours.length - 1;
      if (last || Math.floor((h + HOUR) / DAY) !== Math.floor(h / DAY)) {
        const day = Math.floor(h / DAY) * DAY;
        for (const m of models) {
          const perVersion = new Map();
          for (let x = day; x < day + DAY; x += HOUR) {
            const w = hourly[m.index].get(x);
            if (!w) continue;
            const v = perVersion.get(w.versionId) ?? { n: 0, labels: 0 };
            v.n += w.n;
            v.labels += w.labels;
            perVersion.set(w.versionId, v);
          }
          for (const [versionId, v] of perVersion) {
            await emit(windowPoints(m, baseOf(m, versionId, 'day', day), { granularity: 'day', t: day + DAY / 2, n: v.n, labels: v.labels, labelDelay: m.labelDelayHours * 3600 }));
          }
        }
      }
    }
    if (pending.length > 0) await write();
    await Promise.all(inFlight);
    lap('metricPoints', t0);
    log(`  ${written.toLocaleString('en-US')} metric points in ${(timings.metricPoints / 1000).toFixed(1)} s (${Math.round(written / (timings.metricPoints / 1000)).toLocaleString('en-US')}/s)`);

    // Streaming state: each version's newest event and the events merged.
    const frontier = await finishedTransactionsBelow(db.pool);
    for (const m of models) {
      for (const [versionId, events] of m.events) {
        const end = versionId === m.v1 && m.v2 ? m.rolloutAt : (m.staleFrom ?? anchor);
        await advanceStream(db.pool, organizationId, versionId, frontier, { events, newestEvent: end - Math.round(2_000 + 40_000 * hash(m.index, 3)) });
      }
    }

    // Alert rules per team, and the instances the evaluator would hold now.
    t0 = performance.now();
    const alerts = await seedAlerts(db, actor, teamIds, models, anchor);
    lap('alerts', t0);

    // Column profiles of the measured models.
    t0 = performance.now();
    let profiles = 0;
    for (const index of [MEASURED.model]) {
      const m = models[index];
      if (!m) continue;
      const ref = deserializeDatasetProfile(await referenceProfile(t, m.datasetId));
      const edges = new Map();
      for (const [key, p] of ref.columns) if (p.kind === 'numerical' && p.histogram) edges.set(key, p.histogram.edges);
      profiles += await seedProfiles(db, m, { organizationId, projectId: m.projectId, modelId: m.id, modelVersionId: m.v1 }, edges, hours, anchor);
    }
    lap('profiles', t0);
    log(`  ${profiles.toLocaleString('en-US')} column profiles in ${(timings.profiles / 1000).toFixed(1)} s`);

    // What autovacuum would have done by now: statistics for the planner, the visibility map.
    t0 = performance.now();
    await db.pool.query('VACUUM (ANALYZE)');
    await db.pool.query('CHECKPOINT');
    lap('vacuum', t0);
    timings.total = Math.round(performance.now() - started);
    return {
      url,
      anchor,
      organizationId,
      user: BENCH_USER,
      models: models.map((m) => ({ index: m.index, id: m.id, slug: m.slug, task: m.task, versions: m.v2 ? [m.v2, m.v1] : [m.v1] })),
      alerts,
      profiles,
      timings,
    };
  } finally {
    await db.close();
  }
}

/** Rules "Feature drift" and "Missing values" per team; firing instances for what is wrong now, resolved ones for the past episode. */
async function seedAlerts(db, actor, teamIds, models, anchor) {
  const t = db.forTenant(actor.organizationId);
  const rules = new Map();
  for (const teamId of teamIds) {
    const drift = await createAlertRule(t, actor, teamId, {
      name: 'Feature drift',
      metric: 'drift_detected',
      column: { kind: 'any' },
      granularity: 'hour',
      condition: { threshold: { kind: 'drift_verdict' } },
      for: 1,
    });
    const missing = await createAlertRule(t, actor, teamId, {
      name: 'Missing values',
      metric: 'missing_share',
      column: { kind: 'any' },
      granularity: 'hour',
      condition: { op: '>', threshold: { kind: 'fixed', warning: 0.1, critical: 0.3 } },
    });
    rules.set(teamId, { drift: drift.id, missing: missing.id });
  }
  let firing = 0;
  let resolved = 0;
  for (const [teamId, rule] of rules) {
    const byRule = new Map([
      [rule.drift, []],
      [rule.missing, []],
    ]);
    for (const m of models.filter((x) => x.teamId === teamId)) {
      const version = m.v2 ?? m.v1;
      const instance = (ruleId, column, state, from, to, value, severity) => {
        const labels = { model: m.id, version, column, segment: '' };
        byRule.get(ruleId).push({
          write: {
            fingerprint: alertFingerprint(ruleId, labels),
            labels,
            state,
            severity: state === 'firing' ? severity : null,
            value,
            consecutive: state === 'firing' ? Math.max(2, Math.round((anchor - from) / HOUR)) : 0,
            startedAt: from + HOUR,
            lastEvaluatedAt: anchor - (anchor % HOUR) + 5 * MINUTE,
            lastBreachAt: to ?? anchor - (anchor % HOUR),
            resolvedAt: to ?? null,
            acknowledgedAt: null,
            evaluation: {},
            projectId: m.projectId,
          },
          events: [
            { from: 'ok', to: 'pending', at: from + HOUR, severity: null },
            { from: 'pending', to: 'firing', at: from + 2 * HOUR, severity },
            ...(to ? [{ from: 'firing', to: 'resolved', at: to + HOUR, severity: null }] : []),
          ],
          value,
        });
        if (state === 'firing') firing++;
        else resolved++;
      };
      if (m.drift) {
        for (const f of m.features.slice(0, m.drift.features)) instance(rule.drift, f.name, 'firing', m.drift.from, null, 1, m.drift.features >= 4 ? 'critical' : 'warning');
      }
      if (m.pastDrift) for (const f of m.features.slice(0, m.pastDrift.features)) instance(rule.drift, f.name, 'resolved', m.pastDrift.from, m.pastDrift.to, 0, 'warning');
      if (m.qualitySpike) instance(rule.missing, m.features[m.qualitySpike.feature].name, 'firing', m.qualitySpike.from, null, m.qualitySpike.share, 'critical');
    }
    await inTransaction(db.pool, async (client) => {
      for (const [ruleId, list] of byRule) {
        if (list.length === 0) continue;
        const idOf = await saveAlertInstances(client, actor.organizationId, ruleId, list.map((x) => x.write));
        await insertAlertEvents(
          client,
          actor.organizationId,
          list.flatMap((x) =>
            x.events.map((e) => ({ alertId: idOf.get(x.write.fingerprint), from: e.from, to: e.to, severity: e.severity, value: x.value, details: {}, at: new Date(e.at) })),
          ),
        );
      }
    });
  }
  return { rules: rules.size * 2, firing, resolved };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values: args } = parseArgs({
    options: {
      models: { type: 'string', default: '100' },
      'rolling-every': { type: 'string', default: '15' },
      chunk: { type: 'string', default: '20000' },
    },
  });
  const r = await seedWeb({ models: Number(args.models), rollingEveryMinutes: Number(args['rolling-every']), chunk: Number(args.chunk) });
  console.log(JSON.stringify({ timings: r.timings, alerts: r.alerts, profiles: r.profiles, measured: r.models[MEASURED.model] }, null, 2));
}
