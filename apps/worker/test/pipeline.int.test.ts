import { createTestTenant } from '@vigil/db/testing';
import { classificationMetrics, generateSample } from '@vigil/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  await stack.startWorker();
});
afterAll(() => stack?.close());

function sample(n: number, seed: number, shift: number) {
  const x = generateSample({ dist: 'normal', mu: shift, sigma: 1, seed, n }) as Float64Array;
  const z = generateSample({ dist: 'normal', mu: 5, sigma: 2, seed: seed + 1, n }) as Float64Array;
  const c = generateSample({ dist: 'discrete', values: ['de', 'fr', 'it'], weights: [0.5, 0.3, 0.2], seed: seed + 2, n }) as string[];
  return Array.from(x, (xi, i) => ({ x: xi, z: z[i]!, c: c[i]! }));
}

async function post(path: string, key: string, body: string, type = 'application/json') {
  const res = await fetch(`${stack.api}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': type }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function metrics(key: string, query: string) {
  const res = await fetch(`${stack.api}/v1/models/fraud/metrics?${query}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { points: { metric: string; column: string | null; value: number; details: Record<string, unknown> | null }[] }).points;
}

describe('pipeline: ingest → streaming metrics → read API', () => {
  it('marks the shifted feature drifted in the rolling window within 5 s, and only that feature', async () => {
    const t = await createTestTenant(stack.db);
    const key = t.apiKey.secret;
    const ref = sample(3_000, 100, 0);
    const csv = ['x,z,c', ...ref.map((r) => `${r.x},${r.z},${r.c}`)].join('\n');
    const up = await post('/v1/models/fraud/reference', key, csv, 'text/csv');
    expect(up.status).toBeLessThan(300);
    // The reference profile is built by the worker.
    const ready = Date.now() + 20_000;
    for (;;) {
      const r = await stack.db.forTenant(t.organizationId).referenceDataset.findFirst({ where: { status: 'ready' } });
      if (r) break;
      if (Date.now() > ready) throw new Error('reference profile was not built within 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }

    // A known mean shift of one standard deviation on x only.
    const cur = sample(4_000, 200, 0).map((r) => ({ ...r, x: r.x + 1 }));
    for (let b = 0; b < 4; b++) {
      const predictions = cur.slice(b * 1_000, (b + 1) * 1_000).map((r, i) => ({
        id: `p-${b}-${i}`,
        model: 'fraud',
        timestamp: new Date(Date.now() - 1_000).toISOString(),
        features: r,
        prediction: r.x > 1 ? 1 : 0,
      }));
      const res = await post('/v1/predictions', key, JSON.stringify({ predictions }));
      expect(res.status).toBe(200);
      expect(res.body.accepted).toBe(1_000);
    }
    const started = Date.now(); // the last batch was acknowledged

    let verdicts: Map<string, number> = new Map();
    let count = 0;
    while (Date.now() - started < 5_000) {
      const points = await metrics(key, 'granularity=rolling_1h&metric=drift_detected,prediction_count');
      const latest = new Map<string, number>();
      for (const p of points) latest.set(`${p.metric}:${p.column ?? ''}`, p.value);
      count = latest.get('prediction_count:') ?? 0;
      verdicts = new Map([...latest].filter(([k]) => k.startsWith('drift_detected:')).map(([k, v]) => [k.slice(15), v]));
      if (count === 4_000 && verdicts.size >= 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(count).toBe(4_000);
    expect(verdicts.get('x')).toBe(1);
    expect(verdicts.get('z')).toBe(0);
    expect(verdicts.get('c')).toBe(0);
  });

  it('changes the day’s F1 to the exact value of the joined rows when labels arrive 2 days later', async () => {
    const t = await createTestTenant(stack.db);
    const key = t.apiKey.secret;
    const day = Date.now() - 2 * 86_400_000;
    const dayStart = new Date(day - (day % 86_400_000));
    const n = 400;
    const x = generateSample({ dist: 'normal', mu: 0, sigma: 1, seed: 7, n }) as Float64Array;
    const truth = generateSample({ dist: 'uniform', a: 0, b: 1, seed: 8, n }) as Float64Array;
    const predictions = Array.from(x, (xi, i) => ({
      id: `c-${i}`,
      model: 'churn',
      timestamp: new Date(dayStart.getTime() + 3_600_000 + i * 1_000).toISOString(),
      features: { x: xi },
      prediction: xi > 0 ? 1 : 0,
    }));
    expect((await post('/v1/predictions', key, JSON.stringify({ predictions }))).status).toBe(200);
    // Ground truth agrees with the prediction about 80% of the time.
    const labels = predictions.map((p, i) => ({ predictionId: p.id, label: truth[i]! < 0.8 ? p.prediction : 1 - p.prediction }));
    expect((await post('/v1/labels', key, JSON.stringify({ labels }))).status).toBe(200);

    const expected = classificationMetrics(
      labels.map((l) => l.label),
      predictions.map((p) => p.prediction),
      { positiveLabel: 1 },
    ).binary!.f1;
    const deadline = Date.now() + 30_000;
    let f1: number | undefined;
    let coverage: number | undefined;
    while (Date.now() < deadline) {
      const res = await fetch(
        `${stack.api}/v1/models/churn/metrics?granularity=day&metric=f1,label_coverage&from=${dayStart.toISOString()}&to=${new Date(dayStart.getTime() + 86_400_000).toISOString()}`,
        { headers: { authorization: `Bearer ${key}` } },
      );
      const points = ((await res.json()) as { points: { metric: string; value: number }[] }).points;
      f1 = points.find((p) => p.metric === 'f1')?.value;
      coverage = points.find((p) => p.metric === 'label_coverage')?.value;
      if (f1 !== undefined && coverage === 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(coverage).toBe(1);
    expect(f1).toBe(expected);
  });

  it('refuses another project’s key and unknown metric names', async () => {
    const a = await createTestTenant(stack.db);
    const b = await createTestTenant(stack.db);
    const res = await post('/v1/predictions', a.apiKey.secret, JSON.stringify({ predictions: [{ id: '1', model: 'fraud', features: { x: 1 }, prediction: 1 }] }));
    expect(res.status).toBe(200);
    const other = await fetch(`${stack.api}/v1/models/fraud/metrics`, { headers: { authorization: `Bearer ${b.apiKey.secret}` } });
    expect(other.status).toBe(404);
    const bad = await fetch(`${stack.api}/v1/models/fraud/metrics?metric=nope`, { headers: { authorization: `Bearer ${a.apiKey.secret}` } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('metric');
  });
});
