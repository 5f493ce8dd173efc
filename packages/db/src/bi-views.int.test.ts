import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBiLogin } from './bi-logins.js';
import { connectAs, createTestDb, createTestTenant, dropBiLogins, seedBiWorkspace, type SeededBiWorkspace, type TestTenant } from './testing/index.js';

const db = createTestDb();

interface Side {
  t: TestTenant;
  seed: SeededBiWorkspace;
  client: pg.Client;
  slug: string;
}
let a: Side;
let b: Side;

async function side(): Promise<Side> {
  const t = await createTestTenant(db);
  const seed = await seedBiWorkspace(db, t, { models: 2, hours: 48 });
  const login = await issueBiLogin(db.pool, { organizationId: t.organizationId, userId: t.userId });
  return { t, seed, client: await connectAs(login.user, login.password), slug: `test-${t.tag}` };
}

beforeAll(async () => {
  a = await side();
  b = await side();
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([a?.client.end(), b?.client.end()]);
  await dropBiLogins(db, [a?.t.organizationId, b?.t.organizationId].filter((id): id is string => Boolean(id)));
  await db.close();
});

/** What the base tables hold for a workspace, counted as the application's own user. */
async function expected(orgId: string) {
  const q = async (sql: string) => Number((await db.pool.query<{ n: string }>(sql, [orgId])).rows[0]!.n);
  return {
    models: await q('SELECT count(*) AS n FROM models WHERE organization_id = $1'),
    metrics: await q('SELECT count(*) AS n FROM metric_point WHERE organization_id = $1'),
    alerts: await q('SELECT count(*) AS n FROM alerts WHERE organization_id = $1'),
    predictions_daily: await q(
      `SELECT count(DISTINCT (model_version_id, window_start)) AS n FROM metric_point
       WHERE organization_id = $1 AND granularity = 'day' AND metric = 'prediction_count' AND segment = '' AND column_name = ''`,
    ),
  };
}

describe('the bi views, read as a workspace BI login', () => {
  it("show exactly the login's own workspace in every view", async () => {
    for (const s of [a, b]) {
      const want = await expected(s.t.organizationId);
      expect(want.models).toBe(2);
      expect(want.metrics).toBeGreaterThan(1_000);
      for (const view of ['models', 'metrics', 'alerts', 'predictions_daily'] as const) {
        const { rows } = await s.client.query<{ workspace: string; n: string }>(`SELECT workspace, count(*) AS n FROM bi.${view} GROUP BY workspace`);
        expect(rows, `bi.${view}`).toEqual([{ workspace: s.slug, n: String(want[view]) }]);
      }
    }
  });

  it("returns none of the other workspace's rows when asked for them by name or id", async () => {
    const other = b.seed.models[0]!;
    const { rows } = await a.client.query(
      `SELECT (SELECT count(*) FROM bi.models WHERE model_id = $1 OR workspace = $2) AS models,
              (SELECT count(*) FROM bi.metrics WHERE model_id = $1 OR workspace = $2) AS metrics,
              (SELECT count(*) FROM bi.alerts WHERE alert_id = ANY($3) OR workspace = $2) AS alerts,
              (SELECT count(*) FROM bi.predictions_daily WHERE model_id = $1 OR workspace = $2) AS daily`,
      [other.modelId, b.slug, b.seed.alertIds],
    );
    expect(rows[0]).toEqual({ models: '0', metrics: '0', alerts: '0', daily: '0' });
  });

  it('fills every documented column', async () => {
    const model = a.seed.models[0]!;
    const m = (await a.client.query('SELECT * FROM bi.models WHERE model_id = $1', [model.modelId])).rows[0];
    expect(m).toMatchObject({ workspace: a.slug, project: `project-${a.t.tag}`, team: `team-${a.t.tag}`, model: model.slug, task: 'binary', versions: ['v1'], version_count: 1, latest_version: 'v1' });
    expect(m.last_event_at).toBeInstanceOf(Date);
    const drift = (
      await a.client.query(
        `SELECT version, column_name, test, threshold, drifted, value FROM bi.metrics
         WHERE model_id = $1 AND metric = 'drift_score' AND granularity = 'day' ORDER BY time DESC, column_name LIMIT 2`,
        [model.modelId],
      )
    ).rows;
    expect(drift).toEqual([
      { version: 'v1', column_name: 'amount', test: 'wasserstein', threshold: 0.1, drifted: false, value: 0.05 },
      { version: 'v1', column_name: 'country', test: 'jensenshannon', threshold: 0.1, drifted: true, value: 0.2 },
    ]);
    const daily = (await a.client.query('SELECT version, events, labels, label_coverage FROM bi.predictions_daily WHERE model_id = $1 LIMIT 1', [model.modelId])).rows[0];
    expect(daily).toEqual({ version: 'v1', events: '2400', labels: '960', label_coverage: 0.4 });
    const alerts = (await a.client.query('SELECT state, rule, metric, model FROM bi.alerts ORDER BY state')).rows;
    expect(alerts).toEqual([
      { state: 'firing', rule: `drift ${a.t.tag}`, metric: 'drift_score', model: a.seed.models[0]!.slug },
      { state: 'resolved', rule: `drift ${a.t.tag}`, metric: 'drift_score', model: a.seed.models[1]!.slug },
    ]);
  });

  it('refuses every base table, view and function of the public schema', async () => {
    const { rows } = await db.pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') ORDER BY 1`,
    );
    expect(rows.length).toBeGreaterThan(40);
    for (const { name } of rows) {
      const err = await a.client.query(`SELECT 1 FROM public.${a.client.escapeIdentifier(name)} LIMIT 1`).then(
        () => null,
        (e: { code?: string }) => e,
      );
      expect(err?.code, `public.${name}`).toBe('42501');
    }
    for (const write of [`INSERT INTO bi_logins (organization_id, role_name) VALUES ('x', 'vigil_bi_0000000000000000')`, 'CREATE TABLE bi.mine (x int)', 'CREATE TABLE public.mine (x int)']) {
      await expect(a.client.query(write), write).rejects.toMatchObject({ code: expect.stringMatching(/^(42501|25006)$/) });
    }
  });

  it('is read-only and bounded: transactions are read-only, statements time out', async () => {
    const { rows } = await a.client.query<{ ro: string; timeout: string }>(`SELECT current_setting('transaction_read_only') AS ro, current_setting('statement_timeout') AS timeout`);
    expect(rows[0]).toEqual({ ro: 'on', timeout: '1min' });
  });
});

describe('a 30-day panel over one model', () => {
  it('answers in under 100 ms with 100 models × 30 days of hourly metrics', async () => {
    const t = await createTestTenant(db);
    try {
      await db.pool.query(
        `INSERT INTO models (id, organization_id, project_id, slug, name)
         SELECT $1 || '-m' || i, $1, $2, 'load-' || i, 'Load ' || i FROM generate_series(1, 100) i`,
        [t.organizationId, t.projectId],
      );
      await db.pool.query(
        `INSERT INTO model_versions (id, organization_id, project_id, model_id, name)
         SELECT $1 || '-m' || i || '-v', $1, $2, $1 || '-m' || i, 'v1' FROM generate_series(1, 100) i`,
        [t.organizationId, t.projectId],
      );
      // Per model and hour: volume, accuracy and a drift score for two columns (288,000 points).
      await db.pool.query(
        `INSERT INTO metric_point (organization_id, project_id, model_id, model_version_id, metric, column_name, granularity, window_start, value, details)
         SELECT $1, $2, $1 || '-m' || i, $1 || '-m' || i || '-v', k.metric, k.col, 'hour',
                date_trunc('hour', now()) - h * interval '1 hour', random(),
                CASE WHEN k.metric = 'drift_score' THEN '{"test":"psi","threshold":0.1,"scoreKind":"distance"}'::jsonb END
         FROM generate_series(1, 100) i, generate_series(0, 719) h,
              (VALUES ('prediction_count', ''), ('accuracy', ''), ('drift_score', 'amount'), ('drift_score', 'country')) k(metric, col)`,
        [t.organizationId, t.projectId],
      );
      await db.pool.query('ANALYZE metric_point');
      const login = await issueBiLogin(db.pool, { organizationId: t.organizationId });
      const client = await connectAs(login.user, login.password);
      try {
        const panel = `SELECT floor(extract(epoch from time)/3600)*3600 AS "time", avg(value) AS score, max(threshold) AS threshold
                       FROM bi.metrics
                       WHERE time BETWEEN now() - interval '30 days' AND now() AND model = 'load-42' AND version = 'v1'
                         AND column_name = 'amount' AND metric = 'drift_score' AND granularity = 'hour' AND segment IS NULL
                       GROUP BY 1 ORDER BY 1`;
        const volume = `SELECT floor(extract(epoch from time)/86400)*86400 AS "time", sum(value) AS predictions FROM bi.metrics
                        WHERE time BETWEEN now() - interval '30 days' AND now() AND model = 'load-42' AND metric = 'prediction_count' AND granularity = 'hour'
                        GROUP BY 1 ORDER BY 1`;
        for (const [sql, rows] of [[panel, 720], [volume, 31]] as const) {
          const first = await client.query(sql);
          expect(first.rowCount).toBeGreaterThanOrEqual(rows - 1);
          const times: number[] = [];
          for (let i = 0; i < 5; i++) {
            const started = performance.now();
            await client.query(sql);
            times.push(performance.now() - started);
          }
          const median = times.sort((x, y) => x - y)[2]!;
          console.log(`30-day panel over one of 100 models: median ${median.toFixed(1)} ms (${times.map((x) => x.toFixed(1)).join(', ')})`);
          expect(median).toBeLessThan(100);
        }
      } finally {
        await client.end();
        await dropBiLogins(db, [t.organizationId]);
      }
    } finally {
      await db.pool.query('DELETE FROM metric_point WHERE organization_id = $1', [t.organizationId]);
    }
  }, 120_000);
});
