import { createPrivateTestDatabase, createTestDb, TEST_REDIS_URL, type Db, type PrivateTestDatabase } from '@vigil/db/testing';
import { DEFAULT_KLL_K, kllRankErrorBound, sortSample, wassersteinNormed, type ColumnProfile, type SortedSample } from '@vigil/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  enqueueWindows,
  eventsMerged,
  insertTransactions,
  prepareBacklog,
  queueCounts,
  snapshot,
  streamLockHeld,
  uniquePrefix,
  waitMerged,
  type Backlog,
  type BacklogSpec,
  type Snapshot,
} from './support/backlog.js';
import { rows } from './support/fixtures.js';
import { spawnWorker, startPrivateRedis, type WorkerProcess } from './support/processes.js';

/**
 * Fault tolerance of the streaming pipeline with the real worker process
 * (`apps/worker/dist/main.js`): a worker killed with SIGKILL in the middle of merging a large
 * backlog, and two workers sharing the queues, must leave exactly the state of one clean run.
 *
 * Profiles hold seeded sketches (KLL quantiles, reservoir sample) whose seed is drawn per run
 * and whose content depends on how events were split between merges, so two runs never store
 * byte-identical sketches even on identical rows. Everything exact is compared exactly —
 * counts, missing and type counts, min/max, histogram bins on the reference's edges, category
 * counts, and the metrics computed from them; means and M2 within 1e-9 relative
 * (floating-point sums in another order). The metrics read from sketches (p50, p95, the
 * normalized Wasserstein distance, here the drift score) are checked, in every run, against
 * the exact value computed from the rows themselves, within the KLL sketch's stated rank error;
 * the drift verdicts must be equal.
 */

const TIMEOUT = 600_000;
const HOUR_MS = 3_600_000;
// Three hours back, so the rolling window (which depends on the wall clock) is never touched.
const hour = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 3 * HOUR_MS);
const spec: BacklogSpec = { models: 2, transactions: 12, perTx: 6_000, minutes: 4, hour };

let database: PrivateTestDatabase;
let db: Db;
let clean: Snapshot;
let cleanBacklog: Backlog;
const running: WorkerProcess[] = [];

function worker(prefix: string): WorkerProcess {
  const w = spawnWorker({ prefix, databaseUrl: database.url });
  running.push(w);
  return w;
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  // A database of its own: the workers' streaming sweep would otherwise also merge the backlogs
  // other suites leave in the shared test database.
  database = await createPrivateTestDatabase('faults');
  db = createTestDb(database.url);
  // The clean run: the whole backlog, one worker that is never disturbed.
  cleanBacklog = await prepareBacklog(db, spec);
  await insertTransactions(db, cleanBacklog, 0, spec.transactions);
  const prefix = uniquePrefix('clean');
  await enqueueWindows(TEST_REDIS_URL, prefix, cleanBacklog);
  const w = worker(prefix);
  await waitMerged(db, TEST_REDIS_URL, prefix, cleanBacklog, TIMEOUT - 60_000);
  await w.stop();
  clean = await snapshot(db, cleanBacklog);
}, TIMEOUT);

afterAll(async () => {
  await Promise.all(running.map((w) => w.stop()));
  await db?.close();
  await database?.drop();
});

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));

/** Differences between a profile and the clean run's, in what is exact (see the file comment). */
function profileDiffs(key: string, a: ColumnProfile, b: ColumnProfile): string[] {
  const d: string[] = [];
  const same = (what: string, x: unknown, y: unknown) => {
    if (JSON.stringify(x) !== JSON.stringify(y)) d.push(`${key} ${what}: ${JSON.stringify(x)} ≠ ${JSON.stringify(y)}`);
  };
  same('count', a.count, b.count);
  same('missing', a.missing, b.missing);
  same('types', a.types, b.types);
  if (a.kind === 'numerical' && b.kind === 'numerical') {
    same('n/min/max', [a.moments.n, a.moments.min, a.moments.max], [b.moments.n, b.moments.min, b.moments.max]);
    if (rel(a.moments.mean, b.moments.mean) > 1e-9) d.push(`${key} mean: ${a.moments.mean} ≠ ${b.moments.mean}`);
    if (rel(a.moments.m2, b.moments.m2) > 1e-9) d.push(`${key} m2: ${a.moments.m2} ≠ ${b.moments.m2}`);
    same('histogram', a.histogram && [Array.from(a.histogram.counts), a.histogram.below, a.histogram.above], b.histogram && [Array.from(b.histogram.counts), b.histogram.below, b.histogram.above]);
    same('quantile sketch n', a.quantiles.state().n, b.quantiles.state().n);
  }
  if (a.kind === 'categorical' && b.kind === 'categorical') {
    const cats = (p: typeof a) => [...p.categories.entries()].sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    same('categories', cats(a), cats(b));
  }
  same('distinct', a.distinct.estimate(), b.distinct.estimate());
  return d;
}

/** Metrics read from the quantile sketches: checked against the exact value, within the sketch's error. */
const SKETCHED = new Set(['p50', 'p95', 'wasserstein_normed', 'drift_score']);
/** The numerical columns (categorical `c` drifts by Jensen–Shannon on exact counts). */
const sketched = (key: string) => {
  const [, , metric, column] = key.split('|') as [string, string, string, string];
  return SKETCHED.has(metric) && (column === 'x' || column.includes('prediction'));
};

/** Exact values of the backlog's rows (all in one hour and one day), per model: x and the prediction. */
function exactColumns(m: number): Map<string, { cur: SortedSample; ref: SortedSample }> {
  const x: number[] = [];
  for (let tx = 0; tx < spec.transactions; tx++) {
    const data = rows(spec.perTx, tx * 0.05, 10_000 * (m + 1) + tx);
    data.x.forEach((v, i) => {
      if ((i + 1) % 50 !== 0) x.push(v);
    });
  }
  const pred: number[] = [];
  for (let tx = 0; tx < spec.transactions; tx++) pred.push(...Array.from(rows(spec.perTx, tx * 0.05, 10_000 * (m + 1) + tx).x, (v) => v * 2));
  const ref = Array.from(rows(2_000, 0, 1_000 + m).x);
  return new Map([
    ['x', { cur: sortSample(x), ref: sortSample(ref) }],
    ['prediction', { cur: sortSample(pred), ref: sortSample(ref.map((v) => v * 2)) }],
  ]);
}

const EPS = kllRankErrorBound(DEFAULT_KLL_K);
const at = (s: SortedSample, u: number) => s[Math.min(s.length - 1, Math.max(0, Math.floor(u * s.length)))]!;
/** Mean over the sketch's quantile grid of Q(u+ε) − Q(u−ε): how far the sketch's quantiles may wander. */
const spread = (s: SortedSample) => {
  let sum = 0;
  for (let k = 0; k < 1_000; k++) sum += at(s, (k + 0.5) / 1_000 + EPS) - at(s, (k + 0.5) / 1_000 - EPS);
  return sum / 1_000 + (s[s.length - 1]! - s[0]!) / 1_000;
};

/** Sketched metrics of a run against the exact values computed from the rows themselves. */
function checkSketched(run: Snapshot): string[] {
  const out: string[] = [];
  for (let m = 0; m < spec.models; m++) {
    const exact = exactColumns(m);
    for (const [key, v] of run.points[m]!) {
      if (!sketched(key)) continue;
      const [, , metric, column] = key.split('|') as [string, string, string, string];
      const e = exact.get(column.includes('prediction') ? 'prediction' : column);
      if (!e) {
        out.push(`model ${m} ${key}: no exact value to check against`);
        continue;
      }
      if (metric === 'p50' || metric === 'p95') {
        const p = metric === 'p50' ? 0.5 : 0.95;
        if (v < at(e.cur, p - EPS) || v > at(e.cur, p + EPS)) out.push(`model ${m} ${key}: ${v} outside [${at(e.cur, p - EPS)}, ${at(e.cur, p + EPS)}]`);
      } else {
        const w = wassersteinNormed(e.ref, e.cur);
        const bound = (spread(e.ref) + spread(e.cur)) / w.referenceStd;
        if (Math.abs(v - w.normed) > bound) out.push(`model ${m} ${key}: ${v} vs exact ${w.normed} (bound ${bound})`);
      }
    }
  }
  return out;
}

function compareWithClean(run: Snapshot, backlog: Backlog): void {
  const diffs: string[] = [];
  for (let m = 0; m < spec.models; m++) {
    const [got, want] = [run.profiles[m]!, clean.profiles[m]!];
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [key, p] of got) {
      const w = want.get(key)!;
      if (p.eventCount !== w.eventCount) diffs.push(`${key} event_count ${p.eventCount} ≠ ${w.eventCount}`);
      diffs.push(...profileDiffs(`model ${m} ${key}`, p.profile, w.profile));
    }
    // Every event is in exactly one minute, its hour and its day.
    for (const g of ['hour', 'day', 'minute']) {
      const total = [...got.values()].filter((p) => p.key.startsWith(`${g}|`) && p.key.includes('|prediction|prediction|')).reduce((s, p) => s + p.eventCount, 0);
      expect(total, `${g} profiles of model ${m}`).toBe(backlog.perModel);
    }
    const [pts, wantPts] = [run.points[m]!, clean.points[m]!];
    expect([...pts.keys()].sort()).toEqual([...wantPts.keys()].sort());
    for (const [key, v] of pts) {
      if (sketched(key)) continue; // checked against the exact value below
      const w = wantPts.get(key)!;
      if (rel(v, w) > 1e-9) diffs.push(`model ${m} ${key}: ${v} ≠ ${w}`);
    }
    for (const g of ['hour', 'day']) {
      const counts = [...pts].filter(([k]) => k.startsWith(`${g}|`) && k.split('|')[2] === 'prediction_count').map(([, v]) => v);
      expect(counts, `${g} prediction_count of model ${m}`).toEqual([backlog.perModel]);
    }
  }
  diffs.push(...checkSketched(run));
  expect(diffs).toEqual([]);
}

describe('streaming pipeline under faults (real worker processes)', () => {
  it('the clean run merged every event once', () => {
    for (let m = 0; m < spec.models; m++) {
      const hourCount = [...clean.points[m]!].find(([k]) => k.startsWith('hour|') && k.includes('|prediction_count|'))?.[1];
      expect(hourCount).toBe(cleanBacklog.perModel);
    }
    // Sketch-read metrics of the clean run itself are within the sketch error of the exact values.
    expect(checkSketched(clean)).toEqual([]);
    expect([...clean.points[0]!.keys()].filter(sketched).length).toBeGreaterThan(0);
  });

  it(
    'a worker killed with SIGKILL in the middle of a merge, then replaced, leaves the state of a clean run',
    async () => {
      const b = await prepareBacklog(db, spec);
      const prefix = uniquePrefix('kill');
      // First a third of the backlog is merged, so the state shows partial progress...
      const first = Math.floor(spec.transactions / 3);
      await insertTransactions(db, b, 0, first);
      await enqueueWindows(TEST_REDIS_URL, prefix, b);
      const w1 = worker(prefix);
      await until('the first third to be merged', TIMEOUT, async () =>
        (await Promise.all(b.models.map((m) => eventsMerged(db, m.versionId)))).every((n) => n === first * spec.perTx),
      );
      // ...then the rest arrives and the worker is killed while it holds a merge transaction open.
      await insertTransactions(db, b, first, spec.transactions);
      await enqueueWindows(TEST_REDIS_URL, prefix, b);
      await until('a merge to be in progress', TIMEOUT, async () => (await Promise.all(b.models.map((m) => streamLockHeld(db, m.versionId)))).some(Boolean));
      const active = (await queueCounts(TEST_REDIS_URL, prefix)).active!;
      const mergedBefore = await Promise.all(b.models.map((m) => eventsMerged(db, m.versionId)));
      await w1.kill9();
      expect(active).toBeGreaterThan(0);
      expect(mergedBefore.some((n) => n < b.perModel)).toBe(true);
      // The killed transaction is rolled back: nothing it read counts.
      const afterKill = await Promise.all(b.models.map((m) => eventsMerged(db, m.versionId)));
      expect(afterKill.every((n) => n % spec.perTx === 0 && n <= b.perModel)).toBe(true);

      const w2 = worker(prefix);
      await waitMerged(db, TEST_REDIS_URL, prefix, b, TIMEOUT - 120_000);
      expect((await queueCounts(TEST_REDIS_URL, prefix)).failed).toBe(0);
      await w2.stop();
      compareWithClean(await snapshot(db, b), b);
    },
    TIMEOUT,
  );

  it(
    'two worker processes on the same queues give the result of one',
    async () => {
      const b = await prepareBacklog(db, spec);
      const prefix = uniquePrefix('two');
      const workers = [worker(prefix), worker(prefix)];
      // Transactions keep arriving while both run, so both take jobs of the same versions.
      for (let tx = 0; tx < spec.transactions; tx += 2) {
        await insertTransactions(db, b, tx, Math.min(tx + 2, spec.transactions));
        await enqueueWindows(TEST_REDIS_URL, prefix, b);
      }
      await waitMerged(db, TEST_REDIS_URL, prefix, b, TIMEOUT - 120_000);
      expect((await queueCounts(TEST_REDIS_URL, prefix)).failed).toBe(0);
      for (const w of workers) expect(w.proc.exitCode).toBeNull();
      await Promise.all(workers.map((w) => w.stop()));
      compareWithClean(await snapshot(db, b), b);
    },
    TIMEOUT,
  );

  it(
    'a Redis restart that loses every job and schedule (no persistence) loses no event',
    async () => {
      // A private redis-server, never the shared one: this test kills it.
      let redis = await startPrivateRedis();
      const port = redis.port;
      try {
        const b = await prepareBacklog(db, spec);
        const prefix = uniquePrefix('redis');
        const half = Math.floor(spec.transactions / 2);
        await insertTransactions(db, b, 0, half);
        await enqueueWindows(redis.url, prefix, b);
        const w = spawnWorker({ prefix, redisUrl: redis.url, databaseUrl: database.url });
        running.push(w);
        await until('the first half to be merged', TIMEOUT, async () =>
          (await Promise.all(b.models.map((m) => eventsMerged(db, m.versionId)))).every((n) => n === half * spec.perTx),
        );
        await redis.kill();
        // Ingest goes on while Redis is down: the API stores the events and cannot enqueue.
        await insertTransactions(db, b, half, spec.transactions);
        redis = await startPrivateRedis(port);
        // Nothing is enqueued for the second half: the worker must find it by itself.
        await waitMerged(db, redis.url, prefix, b, TIMEOUT - 120_000);
        expect(w.proc.exitCode).toBeNull();
        await w.stop();
        compareWithClean(await snapshot(db, b), b);
      } finally {
        await redis.kill();
      }
    },
    TIMEOUT,
  );
});

