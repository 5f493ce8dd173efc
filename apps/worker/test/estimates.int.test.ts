import { evaluateRule, type AlertRule, type MetricPoint } from '@vigil/alerting';
import { AlertRuleDefinitionSchema } from '@vigil/contracts';
import { createTestTenant } from '@vigil/db/testing';
import { generateSample } from '@vigil/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  await stack.startWorker();
});
afterAll(() => stack?.close());

const HOUR = 3_600_000;
const PER_HOUR = 400;
const HOURS = 24;

interface Row {
  x: number;
  z: number;
  c: string;
  score: number;
  prediction: number;
  label: number;
}

/**
 * A binary model whose positive-class score is sigmoid(2x) and whose labels follow that score
 * (calibrated, no concept drift). z moves with the undrifted x; `shift` moves x alone, so both
 * the score distribution and the features' joint structure change.
 */
function sample(n: number, seed: number, shift: number): Row[] {
  const x0 = generateSample({ dist: 'normal', mu: 1, sigma: 1, seed, n }) as Float64Array;
  const noise = generateSample({ dist: 'normal', mu: 0, sigma: 0.3, seed: seed + 1, n }) as Float64Array;
  const u = generateSample({ dist: 'uniform', a: 0, b: 1, seed: seed + 2, n }) as Float64Array;
  const c = generateSample({ dist: 'discrete', values: ['de', 'fr', 'it'], weights: [0.5, 0.3, 0.2], seed: seed + 3, n }) as string[];
  return Array.from(x0, (x0i, i) => {
    const x = x0i - shift;
    const score = 1 / (1 + Math.exp(-2 * x));
    return { x, z: x0i + noise[i]!, c: c[i]!, score, prediction: score >= 0.5 ? 1 : 0, label: u[i]! < score ? 1 : 0 };
  });
}

async function post(path: string, key: string, body: string, type = 'application/json') {
  const res = await fetch(`${stack.api}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': type }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Point {
  metric: string;
  windowStart: string;
  value: number;
  details: Record<string, unknown> | null;
}

async function hourPoints(key: string, metrics: string, from: number, to: number): Promise<Point[]> {
  const res = await fetch(`${stack.api}/v1/models/credit/metrics?granularity=hour&metric=${metrics}&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { points: Point[] }).points;
}

async function waitFor<T>(what: string, ms: number, read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what} not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const byHour = (points: Point[], metric: string) =>
  new Map(points.filter((p) => p.metric === metric).map((p) => [new Date(p.windowStart).getTime(), p] as const));

describe('performance estimated before labels arrive', () => {
  it('shows estimated F1 falling with its band in the hour windows, then the realized F1 agreeing within the band once labels are sent', async () => {
    const t = await createTestTenant(stack.db);
    const key = t.apiKey.secret;
    // Isotonic calibration is biased by a few points on a small reference where scores are
    // sparse (those the drift moves into): 10 000 rows keep it well inside the band.
    const ref = sample(10_000, 300, 0);
    const csv = ['x,z,c,score,prediction,label', ...ref.map((r) => `${r.x},${r.z},${r.c},${r.score},${r.prediction},${r.label}`)].join('\n');
    expect((await post('/v1/models/credit/reference', key, csv, 'text/csv')).status).toBeLessThan(300);
    const reference = await waitFor(
      'the reference profile',
      30_000,
      () => stack.db.forTenant(t.organizationId).referenceDataset.findFirst({ where: { status: 'ready' } }),
      (r) => r !== null,
    );
    // The estimators were fitted with the profile.
    const estimator = reference!.estimator as { cbpe: { task: string; thresholds: { f1: { lower: number; upper: number } } }; pca: { model: { upper: number } } };
    expect(estimator.cbpe.task).toBe('binary');
    expect(estimator.cbpe.thresholds.f1.lower).toBeLessThan(estimator.cbpe.thresholds.f1.upper);
    expect(estimator.pca.model.upper).toBeGreaterThan(0);

    // A day of unlabelled predictions, hour by hour, x drifting down to 1.5 below the reference.
    const first = Math.floor(Date.now() / HOUR) * HOUR - HOURS * HOUR;
    const sent: { id: string; label: number }[] = [];
    for (let h = 0; h < HOURS; h++) {
      const rows = sample(PER_HOUR, 1_000 + h * 10, (1.5 * h) / (HOURS - 1));
      const predictions = rows.map((r, i) => ({
        id: `h${h}-${i}`,
        model: 'credit',
        timestamp: new Date(first + h * HOUR + i * 5_000).toISOString(),
        features: { x: r.x, z: r.z, c: r.c },
        prediction: r.prediction,
        scores: r.score,
      }));
      rows.forEach((r, i) => sent.push({ id: `h${h}-${i}`, label: r.label }));
      const res = await post('/v1/predictions', key, JSON.stringify({ predictions }));
      expect(res.status).toBe(200);
      expect(res.body.accepted).toBe(PER_HOUR);
    }

    const to = first + HOURS * HOUR;
    const before = await waitFor(
      'estimates of every hour window',
      60_000,
      () => hourPoints(key, 'estimated_f1,estimated_roc_auc,reconstruction_error,f1,prediction_count', first, to),
      (points) => byHour(points, 'estimated_f1').size === HOURS && [...byHour(points, 'prediction_count').values()].every((p) => p.value === PER_HOUR) && byHour(points, 'prediction_count').size === HOURS,
    );
    // No label has arrived: no realized F1, only the estimate.
    expect(byHour(before, 'f1').size).toBe(0);
    const estimated = byHour(before, 'estimated_f1');
    const hours = [...estimated.keys()].sort((a, b) => a - b);
    for (const h of hours) {
      const p = estimated.get(h)!;
      const d = p.details as { lower: number; upper: number; samplingError: number; thresholdLower: number; thresholdUpper: number; rows: number };
      expect(d.rows).toBe(PER_HOUR);
      expect(d.samplingError).toBeGreaterThan(0);
      expect(d.lower).toBeLessThan(p.value);
      expect(d.upper).toBeGreaterThan(p.value);
      expect(d.thresholdLower).toBe(estimator.cbpe.thresholds.f1.lower);
      expect(d.thresholdUpper).toBe(estimator.cbpe.thresholds.f1.upper);
    }
    const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
    const early = mean(hours.slice(0, 4).map((h) => estimated.get(h)!.value));
    const late = mean(hours.slice(-4).map((h) => estimated.get(h)!.value));
    expect(early - late).toBeGreaterThan(0.1);
    const firstHour = estimated.get(hours[0]!)!;
    const lastHour = estimated.get(hours[hours.length - 1]!)!;
    expect(firstHour.value).toBeGreaterThanOrEqual((firstHour.details as { thresholdLower: number }).thresholdLower);
    expect(lastHour.value).toBeLessThan((lastHour.details as { thresholdLower: number }).thresholdLower);
    // Streaming windows state the bound of their ROC AUC approximation.
    for (const p of byHour(before, 'estimated_roc_auc').values()) expect((p.details as { maxError: number }).maxError).toBeLessThan(0.01);
    // The features stop moving together: multivariate drift in the last hour, not in the first.
    const reconstruction = byHour(before, 'reconstruction_error');
    expect(reconstruction.size).toBe(HOURS);
    expect((reconstruction.get(hours[0]!)!.details as { drifted: boolean }).drifted).toBe(false);
    expect((reconstruction.get(hours[hours.length - 1]!)!.details as { drifted: boolean; upper: number }).drifted).toBe(true);

    // The rule "estimated F1 below its reference band" fires on these points.
    const rule: AlertRule = {
      id: 'estimated-f1',
      definition: AlertRuleDefinitionSchema.parse({
        name: 'estimated F1 below its reference band',
        metric: 'estimated_f1',
        granularity: 'hour',
        condition: { op: '<', threshold: { kind: 'reference_band' } },
      }),
    };
    const rulePoints: MetricPoint[] = hours.map((h) => {
      const p = estimated.get(h)!;
      return { metric: 'estimated_f1', column: '', segment: '', modelId: 'credit', modelVersionId: 'v', granularity: 'hour', windowStart: h, value: p.value, ready: true, details: p.details };
    });
    const evaluation = evaluateRule(rule, rulePoints, new Map(), to + 5 * 60_000);
    expect(evaluation.transitions.at(-1)).toMatchObject({ to: 'firing' });

    // The labels arrive: each hour is recomputed exactly, and its realized F1 lies in the estimate's band.
    for (let b = 0; b < sent.length; b += 5_000) {
      const labels = sent.slice(b, b + 5_000).map((l) => ({ predictionId: l.id, label: l.label }));
      expect((await post('/v1/labels', key, JSON.stringify({ labels }))).status).toBe(200);
    }
    const after = await waitFor(
      'realized F1 of every hour window',
      90_000,
      () => hourPoints(key, 'estimated_f1,estimated_roc_auc,f1', first, to),
      (points) => byHour(points, 'f1').size === HOURS && [...byHour(points, 'estimated_roc_auc').values()].every((p) => (p.details as { maxError: number }).maxError === 0),
    );
    const realized = byHour(after, 'f1');
    const exact = byHour(after, 'estimated_f1');
    const outside: string[] = [];
    for (const h of hours) {
      const e = exact.get(h)!;
      const d = e.details as { lower: number; upper: number };
      const f1 = realized.get(h)!.value;
      if (f1 < d.lower || f1 > d.upper) outside.push(`hour ${(h - first) / HOUR}: F1 ${f1} outside [${d.lower}, ${d.upper}] of ${e.value}`);
    }
    // ±3 sampling errors: every hour agrees.
    expect(outside).toEqual([]);
    // The realized F1 falls with the estimate.
    expect(mean(hours.slice(0, 4).map((h) => realized.get(h)!.value)) - mean(hours.slice(-4).map((h) => realized.get(h)!.value))).toBeGreaterThan(0.1);
  }, 240_000);
});
