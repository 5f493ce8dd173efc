import pg from 'pg';
import type { Db } from '../db.js';
import { revokeBiLogin } from '../bi-logins.js';
import { upsertMetricPoints } from '../metric-points.js';
import { TEST_DATABASE_URL } from './env.js';

/**
 * A connection to the test database as a BI login. The test server trusts local connections,
 * so the password is sent but not checked there; password checks read the stored verifier.
 */
export async function connectAs(user: string, password = 'unused', url = TEST_DATABASE_URL): Promise<pg.Client> {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  const client = new pg.Client({ connectionString: u.toString(), application_name: 'vigil-bi-test' });
  await client.connect();
  client.on('error', () => {}); // a terminated session reports here; the test asserts on its next query
  return client;
}

/** Drops the BI logins of these workspaces (roles are cluster-wide: tests must not leave them behind). */
export async function dropBiLogins(db: Db, organizationIds: string[]): Promise<void> {
  for (const organizationId of organizationIds) await revokeBiLogin(db.pool, { organizationId }).catch(() => {});
}

export interface SeededBiModel {
  modelId: string;
  slug: string;
  versionId: string;
}

export interface SeededBiWorkspace {
  models: SeededBiModel[];
  alertIds: string[];
  /** metric_point rows written. */
  points: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A workspace's worth of what the BI views read: models with a version `v1` and columns
 * `amount` (numerical) and `country` (categorical), `hours` hourly windows and the matching day
 * windows up to now (volume, label coverage, drift, data quality, performance), and one firing
 * and one resolved alert.
 */
export async function seedBiWorkspace(
  db: Db,
  t: { organizationId: string; projectId: string; teamId: string; tag: string },
  opts: { models?: number; hours?: number } = {},
): Promise<SeededBiWorkspace> {
  const s = db.system;
  const hours = opts.hours ?? 72;
  const now = Math.floor(Date.now() / HOUR) * HOUR;
  const models: SeededBiModel[] = [];
  let points = 0;
  for (let i = 0; i < (opts.models ?? 2); i++) {
    const slug = `bi-${t.tag}-${i}`;
    const m = await s.model.create({ data: { organizationId: t.organizationId, projectId: t.projectId, slug, name: `BI model ${i}`, task: 'binary' } });
    const v = await s.modelVersion.create({ data: { organizationId: t.organizationId, projectId: t.projectId, modelId: m.id, name: 'v1' } });
    await s.modelColumn.createMany({
      data: [
        { organizationId: t.organizationId, projectId: t.projectId, modelId: m.id, name: 'amount', kind: 'numerical', role: 'feature' },
        { organizationId: t.organizationId, projectId: t.projectId, modelId: m.id, name: 'country', kind: 'categorical', role: 'feature' },
      ],
    });
    const base = { organizationId: t.organizationId, projectId: t.projectId, modelId: m.id, modelVersionId: v.id };
    const batch: Parameters<typeof upsertMetricPoints>[1] = [];
    const window = (granularity: 'hour' | 'day', start: number, k: number) => {
      const w = { ...base, granularity, windowStart: new Date(start) };
      const scale = granularity === 'day' ? 24 : 1;
      batch.push({ ...w, metric: 'prediction_count', value: 100 * scale });
      batch.push({ ...w, metric: 'label_count', value: 40 * scale });
      batch.push({ ...w, metric: 'label_coverage', value: 0.4 });
      batch.push({ ...w, metric: 'accuracy', value: 0.9 - (k % 5) / 100 });
      batch.push({ ...w, metric: 'f1', value: 0.8 - (k % 7) / 100 });
      for (const [col, score] of [['amount', 0.05 + (k % 4) / 20], ['country', 0.2]] as const) {
        const details = { test: col === 'amount' ? 'wasserstein' : 'jensenshannon', threshold: 0.1, scoreKind: 'distance', basis: 'reference' };
        batch.push({ ...w, metric: 'drift_score', columnName: col, value: score, details });
        batch.push({ ...w, metric: 'drift_detected', columnName: col, value: score >= 0.1 ? 1 : 0, details });
        batch.push({ ...w, metric: 'missing_share', columnName: col, value: (k % 3) / 100 });
      }
      batch.push({ ...w, metric: 'drifted_columns_share', value: 0.5 });
      batch.push({ ...w, metric: 'dataset_drift', value: 1 });
    };
    for (let k = 0; k < hours; k++) window('hour', now - k * HOUR, k);
    for (let d = 0; d * 24 < hours; d++) window('day', Math.floor(now / DAY) * DAY - d * DAY, d);
    for (let at = 0; at < batch.length; at += 5_000) points += await upsertMetricPoints(db.pool, batch.slice(at, at + 5_000));
    await db.pool.query(`INSERT INTO stream_state (model_version_id, organization_id, frontier, last_event_at) VALUES ($1, $2, '1'::xid8, $3)`, [
      v.id,
      t.organizationId,
      new Date(now),
    ]);
    models.push({ modelId: m.id, slug, versionId: v.id });
  }
  const rule = await s.alertRule.create({
    data: { organizationId: t.organizationId, teamId: t.teamId, name: `drift ${t.tag}`, definition: { metric: 'drift_score' } },
  });
  const alertIds: string[] = [];
  for (const [k, state] of (['firing', 'resolved'] as const).entries()) {
    const model = models[k % models.length]!;
    const a = await s.alert.create({
      data: {
        organizationId: t.organizationId,
        ruleId: rule.id,
        fingerprint: `${model.slug}:${state}`,
        labels: { model: model.slug, column: 'amount' },
        state,
        severity: 'warning',
        value: 0.2,
        startedAt: new Date(now - 5 * HOUR),
        ...(state === 'resolved' ? { resolvedAt: new Date(now - HOUR) } : {}),
        projectId: t.projectId,
        modelId: model.modelId,
      },
    });
    alertIds.push(a.id);
  }
  return { models, alertIds, points };
}
