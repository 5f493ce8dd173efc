import type { IngestResponse } from '@vigil/contracts';
import { createTestTenant, type TestTenant } from '@vigil/db/testing';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../../../test/support/api.js';
import { makePrediction, post } from '../../../test/support/ingest.js';

const { api, db } = useTestApi();
let tenant: TestTenant;
beforeAll(async () => {
  tenant = await createTestTenant(db);
});

let serial = 0;
const nextId = () => `fz-${++serial}`;

/** Values that are wrong somewhere: any JSON, odd strings (NUL, lone surrogates), huge numbers. */
const nasty = fc.oneof(
  fc.jsonValue(),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('\u0000', '\ud800', 'x\udfffy', '', ' ', '__proto__', 'constructor', '1e999'),
  fc.double(),
  fc.integer(),
  fc.constant(null),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ unit: 'binary', maxLength: 5 }), fc.anything({ maxDepth: 1 }), { maxKeys: 3 }),
);

const fields = ['id', 'model', 'version', 'timestamp', 'features', 'prediction', 'scores', 'tags', 'label', 'extra'] as const;

/** A prediction with a unique id and one or more fields replaced, removed or added. */
const corruptedItem = fc
  .record({
    mutations: fc.array(
      fc.record({ field: fc.constantFrom(...fields), op: fc.constantFrom('set', 'delete'), value: nasty, featureKey: fc.string({ unit: 'binary', maxLength: 8 }) }),
      { minLength: 1, maxLength: 3 },
    ),
    intoFeature: fc.boolean(),
  })
  .map(({ mutations, intoFeature }) => {
    const item: Record<string, unknown> = { ...makePrediction(0) };
    for (const m of mutations) {
      if (m.field === 'id') continue; // keep ids unique and traceable
      if (intoFeature && m.field === 'features') {
        item.features = { ...(item.features as object), [m.featureKey]: m.value };
      } else if (m.op === 'delete') delete item[m.field];
      else item[m.field] = m.value;
    }
    return item;
  });

const validItem = fc.constant(null).map((): Record<string, unknown> => ({ ...makePrediction(0) }));

async function storedAmong(ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const r = await db.pool.query<{ client_id: string }>('SELECT client_id FROM vigil_prediction_events WHERE project_id = $1 AND client_id = ANY($2)', [
    tenant.projectId,
    ids,
  ]);
  return new Set(r.rows.map((x) => x.client_id));
}

describe('ingest under random malformed input', () => {
  it('answers every malformed body with a 4xx', async () => {
    const bodies = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      fc.jsonValue().map((v) => JSON.stringify({ predictions: v })),
      fc.jsonValue().map((v) => JSON.stringify({ predictions: [makePrediction(1)], extra: v })),
      fc.string({ maxLength: 50 }).map((s) => `{"predictions": [${s}`),
    );
    await fc.assert(
      fc.asyncProperty(bodies, fc.constantFrom('/v1/predictions', '/v1/labels'), async (body, path) => {
        const res = await post(`${api.url}${path}`, body, { key: tenant.apiKey.secret });
        // A random JSON value is almost never a valid envelope; if it is one, 2xx is right.
        expect(res.status, String(body).slice(0, 200)).toBeLessThan(500);
        if (res.status >= 300) expect(res.status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 1_500 },
    );
  }, 300_000);

  it('rejects corrupted items by index with a 207 and stores exactly the valid ones', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(corruptedItem, validItem), { minLength: 1, maxLength: 20 }), fc.boolean(), async (generated, gzip) => {
        // Fresh ids on every execution (shrinking replays values): every id is sent exactly once.
        const items = generated.map((it) => ({ ...it, id: nextId() }));
        const res = await post<IngestResponse>(`${api.url}/v1/predictions`, { predictions: items }, { key: tenant.apiKey.secret, gzip });
        expect([200, 207], JSON.stringify(res.body).slice(0, 500)).toContain(res.status);
        const rejected = new Set(res.body.rejected.map((r) => r.index));
        expect(res.status === 207).toBe(rejected.size > 0);
        const accepted = items.filter((_, i) => !rejected.has(i)).map((it) => it.id as string);
        const refused = items.filter((_, i) => rejected.has(i)).map((it) => it.id as string);
        expect(res.body.accepted + res.body.duplicates).toBe(accepted.length);
        expect(res.body.duplicates).toBe(0);
        expect([...(await storedAmong(accepted))].sort()).toEqual([...accepted].sort());
        expect(await storedAmong(refused)).toEqual(new Set());
      }),
      { numRuns: 600 },
    );
  }, 300_000);

  it('rejects corrupted labels by index and stores exactly the valid ones', async () => {
    const label = fc.record(
      { label: fc.oneof(nasty, fc.integer()), timestamp: fc.option(nasty, { nil: undefined }), extra: fc.option(nasty, { nil: undefined }) },
      { requiredKeys: ['label'] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(label, { minLength: 1, maxLength: 10 }), async (generated) => {
        const labels = generated.map((l) => ({ ...l, predictionId: nextId() }));
        const res = await post<IngestResponse>(`${api.url}/v1/labels`, { labels }, { key: tenant.apiKey.secret });
        expect([200, 207], JSON.stringify(res.body).slice(0, 500)).toContain(res.status);
        const rejected = new Set(res.body.rejected.map((r) => r.index));
        const ids = labels.map((l) => l.predictionId);
        const stored = await db.pool.query<{ prediction_id: string }>(
          'SELECT prediction_id FROM prediction_label WHERE project_id = $1 AND prediction_id = ANY($2)',
          [tenant.projectId, ids],
        );
        expect(stored.rows.map((r) => r.prediction_id).sort()).toEqual(ids.filter((_, i) => !rejected.has(i)).sort());
        expect(res.body.accepted).toBe(ids.length - rejected.size);
      }),
      { numRuns: 500 },
    );
  }, 300_000);

  it('is still up and serving afterwards', async () => {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    const ok = await post<IngestResponse>(`${api.url}/v1/predictions`, { predictions: [{ ...makePrediction(0), id: nextId() }] }, { key: tenant.apiKey.secret });
    expect(ok.body.accepted).toBe(1);
  });
});
