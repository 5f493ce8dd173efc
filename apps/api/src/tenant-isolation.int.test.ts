import { randomBytes } from 'node:crypto';
import { generateApiKey, upsertMetricPoints } from '@vigil/db';
import { createTestDb, createTestTenant, type TestTenant } from '@vigil/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type RunningApi } from '../test/support/api.js';
import { makePrediction, post } from '../test/support/ingest.js';

/**
 * Tenant isolation for every route of the API. Project A (of workspace A) holds a model with
 * events, labels, a reference and metric points. The attackers are a key of another workspace
 * (B) and a key of another project in A's own workspace (C). Each route is called with their
 * keys, naming A's model by slug and by id, and must neither reveal nor change anything of A.
 * A route without a case here fails the first test.
 */

const db = createTestDb();
let api: RunningApi;

interface Fixture {
  a: TestTenant;
  /** A's model: slug (unique to A) and id. */
  slug: string;
  modelId: string;
  attackers: { name: string; key: string; organizationId: string; projectId: string }[];
}
let f: Fixture;

/** The routes Fastify serves, as "METHOD /path", read from its route tree. */
function servedRoutes(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ├└─]*)(\S.*?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!m || !m[2]) continue;
    const depth = [...m[1]!].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD')) out.push(`${method} ${stack.join('')}`);
  }
  return out.sort();
}

async function request(method: string, path: string, key: string | undefined, body?: unknown, contentType = 'application/json') {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = contentType;
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text };
}

/** Everything of A's project the routes could change, as one comparable value. */
async function stateOfA() {
  const q = async (sql: string) => (await db.pool.query(sql, [f.a.projectId])).rows;
  return {
    models: await q(`SELECT id, slug, name, task, segment_tags, drift_config FROM models WHERE project_id = $1 ORDER BY id`),
    columns: await q(`SELECT model_id, role, name, kind, type_mismatch_count FROM model_columns WHERE project_id = $1 ORDER BY 1, 2, 3`),
    events: await q(`SELECT client_id, label FROM vigil_prediction_events WHERE project_id = $1 ORDER BY client_id`),
    labels: await q(`SELECT prediction_id, label FROM prediction_label WHERE project_id = $1 ORDER BY 1`),
    references: await q(`SELECT id, name, status FROM reference_datasets WHERE project_id = $1 ORDER BY id`),
    points: await q(`SELECT metric, value FROM metric_point WHERE project_id = $1 ORDER BY 1`),
  };
}

type Check = (attacker: Fixture['attackers'][number]) => Promise<void>;

const cases: Record<string, Check> = {
  'POST /v1/predictions': async (x) => {
    const ids = ['p-1', 'p-2', 'x-9'];
    const res = await post(`${api.url}/v1/predictions`, { predictions: ids.map((id, i) => ({ ...makePrediction(i), id, model: f.slug })) }, { key: x.key });
    expect(res.status).toBe(200);
    // Same slug and ids as A's: they land in the attacker's own project, as new events.
    expect(res.body).toMatchObject({ accepted: 3, duplicates: 0 });
    const mine = await db.pool.query(`SELECT DISTINCT organization_id, project_id FROM vigil_prediction_events WHERE project_id = $1`, [x.projectId]);
    expect(mine.rows).toEqual([{ organization_id: x.organizationId, project_id: x.projectId }]);
  },
  'POST /v1/labels': async (x) => {
    const res = await post(`${api.url}/v1/labels`, { labels: [{ predictionId: 'p-3', label: 1 }, { predictionId: 'p-4', label: 0 }] }, { key: x.key });
    expect(res.status).toBe(200);
    const theirs = await db.pool.query(`SELECT organization_id, model_version_id FROM prediction_label WHERE project_id = $1 AND prediction_id IN ('p-3', 'p-4')`, [x.projectId]);
    // Stored for the attacker's project, matched to none of A's predictions.
    expect(theirs.rows).toEqual([
      { organization_id: x.organizationId, model_version_id: null },
      { organization_id: x.organizationId, model_version_id: null },
    ]);
  },
  'POST /v1/models/:model/reference': async (x) => {
    const res = await request('POST', `/v1/models/${f.slug}/reference`, x.key, 'amount,age\n1,2\n3,4\n', 'text/csv');
    expect(res.status).toBe(201);
    const ds = await db.pool.query(`SELECT d.organization_id, m.project_id FROM reference_datasets d JOIN models m ON m.id = d.model_id WHERE d.id = $1`, [
      JSON.parse(res.text).id,
    ]);
    expect(ds.rows).toEqual([{ organization_id: x.organizationId, project_id: x.projectId }]);
  },
  'POST /v1/models/:model/references': async (x) => {
    const byId = await request('POST', `/v1/models/${f.modelId}/references`, x.key, { source: 'trailing', days: 7 });
    expect([400, 404]).toContain(byId.status);
    // By slug: the attacker's own model of that name (made by an earlier case), or none.
    const bySlug = await request('POST', `/v1/models/${f.slug}/references`, x.key, { source: 'trailing', days: 7 });
    if (bySlug.status === 202) {
      const ds = await db.pool.query(`SELECT d.organization_id, m.project_id FROM reference_datasets d JOIN models m ON m.id = d.model_id WHERE d.id = $1`, [
        (JSON.parse(bySlug.text) as { id: string }).id,
      ]);
      expect(ds.rows).toEqual([{ organization_id: x.organizationId, project_id: x.projectId }]);
    } else expect(bySlug.status).toBe(404);
  },
  'GET /v1/models': async (x) => {
    const res = await request('GET', '/v1/models', x.key);
    expect(res.status).toBe(200);
    const slugs = (JSON.parse(res.text) as { models: { slug: string }[] }).models.map((m) => m.slug);
    // Only what the attacker wrote itself (other cases may have made a same-named model).
    const own = await db.pool.query<{ slug: string }>(`SELECT slug FROM models WHERE project_id = $1 ORDER BY slug`, [x.projectId]);
    expect(slugs).toEqual(own.rows.map((r) => r.slug));
    expect(res.text).not.toContain(f.modelId);
  },
  'GET /v1/models/:model': async (x) => {
    const bySlug = await request('GET', `/v1/models/${f.slug}`, x.key);
    // The attacker may have a model of that slug by now; A's is never the one it sees.
    if (bySlug.status === 200) expect(bySlug.text).not.toContain(f.a.projectId);
    else expect(bySlug.status).toBe(404);
    expect([400, 404]).toContain((await request('GET', `/v1/models/${f.modelId}`, x.key)).status);
  },
  'GET /v1/models/:model/metrics': async (x) => {
    const res = await request('GET', `/v1/models/${f.slug}/metrics?granularity=hour`, x.key);
    if (res.status === 200) expect((JSON.parse(res.text) as { points: unknown[] }).points).toEqual([]);
    else expect(res.status).toBe(404);
    expect([400, 404]).toContain((await request('GET', `/v1/models/${f.modelId}/metrics?granularity=hour`, x.key)).status);
  },
  'PATCH /v1/models/:model': async (x) => {
    const res = await request('PATCH', `/v1/models/${f.modelId}`, x.key, { name: 'taken over', segmentTags: ['country'] });
    expect([400, 404]).toContain(res.status);
    const bySlug = await request('PATCH', `/v1/models/${f.slug}`, x.key, { name: 'taken over' });
    // A model of that slug in the attacker's project may be renamed; A's never is (see the state check).
    expect([200, 404]).toContain(bySlug.status);
  },
  // Routes without tenant data: they must not show any of it.
  'GET /metrics': async () => {
    const res = await request('GET', '/metrics', undefined);
    expect(res.status).toBe(200);
    for (const secret of [f.a.projectId, f.a.organizationId, f.slug, f.modelId]) expect(res.text).not.toContain(secret);
  },
  'GET /healthz': async () => {
    const res = await request('GET', '/healthz', undefined);
    expect(res.text).not.toContain(f.a.projectId);
  },
  'GET /readyz': async () => {
    const res = await request('GET', '/readyz', undefined);
    expect(res.text).not.toContain(f.a.projectId);
  },
  'GET /v1/openapi.json': async () => {
    const res = await request('GET', '/v1/openapi.json', undefined);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(f.slug);
  },
};

beforeAll(async () => {
  api = await startTestApi();
  const a = await createTestTenant(db);
  const b = await createTestTenant(db);
  // C: another project of A's own workspace, with a key of its own.
  const projectC = await db.system.project.create({ data: { organizationId: a.organizationId, teamId: a.teamId, name: 'C', slug: `c-${a.tag}` } });
  const keyC = generateApiKey();
  await db.system.apiKey.create({
    data: { organizationId: a.organizationId, projectId: projectC.id, name: 'c', prefix: keyC.prefix, hash: keyC.hash, scopes: ['ingest', 'read', 'admin'] },
  });
  const slug = `iso-${randomBytes(3).toString('hex')}`;
  const ingest = await post(`${api.url}/v1/predictions`, { predictions: [1, 2, 3].map((i) => makePrediction(i, { model: slug })) }, { key: a.apiKey.secret });
  expect(ingest.status).toBe(200);
  expect((await post(`${api.url}/v1/labels`, { labels: [{ predictionId: 'p-1', label: 1 }] }, { key: a.apiKey.secret })).status).toBe(200);
  expect((await request('POST', `/v1/models/${slug}/reference`, a.apiKey.secret, 'amount,age\n5,6\n', 'text/csv')).status).toBe(201);
  const model = await db.system.model.findFirstOrThrow({ where: { projectId: a.projectId, slug } });
  await upsertMetricPoints(db.pool, [
    { organizationId: a.organizationId, projectId: a.projectId, modelId: model.id, modelVersionId: null, metric: 'prediction_count', granularity: 'hour', windowStart: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000), value: 3 },
  ]);
  f = {
    a,
    slug,
    modelId: model.id,
    attackers: [
      { name: 'another workspace', key: b.apiKey.secret, organizationId: b.organizationId, projectId: b.projectId },
      { name: 'another project of the same workspace', key: keyC.secret, organizationId: a.organizationId, projectId: projectC.id },
    ],
  };
});
afterAll(async () => {
  await api.close();
  await db.close();
});

describe('tenant isolation of every API route', () => {
  it('has a case for every route the API serves', async () => {
    await api.app.getHttpAdapter().getInstance().ready();
    const served = servedRoutes(api.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false })).filter((r) => !r.includes('/docs'));
    expect(served.length).toBeGreaterThan(10);
    expect(served.filter((r) => !(r in cases))).toEqual([]);
  });

  for (const [route, check] of Object.entries(cases)) {
    it(`${route} neither shows nor changes another tenant's data`, async () => {
      const before = await stateOfA();
      expect(before.events).toHaveLength(3);
      for (const attacker of f.attackers) await check(attacker);
      expect(await stateOfA()).toEqual(before);
    });
  }

  it('serves the interactive docs without any tenant data', async () => {
    const res = await request('GET', '/docs/json', undefined);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(f.a.projectId);
  });
});
