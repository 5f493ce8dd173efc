import { afterAll, describe, expect, it } from 'vitest';
import {
  decodeBatch,
  encodeBatch,
  insertLabels,
  insertPredictions,
  labelsForPredictions,
  MAX_SCALAR_BATCHES,
  predictionsInWindow,
  predictionsWrittenBetween,
  type PredictionInput,
  type StoredPrediction,
} from './index.js';
import { IngestBacklogError } from './errors.js';
import { PredictionWriter } from './index.js';
import { createTestDb, createTestTenant, type TestTenant } from './testing/index.js';

const db = createTestDb();
afterAll(() => db.close());

const HOUR = 3_600_000;

async function modelOf(t: TestTenant, versions = ['default']) {
  const m = await db.system.model.create({ data: { organizationId: t.organizationId, projectId: t.projectId, slug: `m-${t.tag}`, name: 'm' } });
  const ids: string[] = [];
  for (const name of versions) {
    ids.push((await db.system.modelVersion.create({ data: { organizationId: t.organizationId, projectId: t.projectId, modelId: m.id, name } })).id);
  }
  return { modelId: m.id, versionIds: ids };
}

function prediction(modelId: string, modelVersionId: string, id: string, time: number, extra: Partial<PredictionInput> = {}): PredictionInput {
  return { modelId, modelVersionId, id, time, features: { x: 1.5, c: 'a', b: true, n: null }, prediction: 1, ...extra };
}

async function all(gen: AsyncGenerator<StoredPrediction[]>): Promise<StoredPrediction[]> {
  const out: StoredPrediction[] = [];
  for await (const page of gen) out.push(...page);
  return out;
}

describe('prediction storage', () => {
  it('round-trips every field through the batch encoding', () => {
    const rows = [
      prediction('m', 'v', 'a"b\\c', 1_700_000_000_123, { scores: { yes: 0.9, no: 0.1 }, tags: { country: 'DE' }, label: 'yes' }),
      prediction('m', 'v', 'plain', 1_700_000_000_124, { scores: 0.25 }),
    ];
    expect(decodeBatch(encodeBatch(rows))).toEqual([
      { id: 'a"b\\c', time: 1_700_000_000_123, features: rows[0]!.features, prediction: 1, scores: { yes: 0.9, no: 0.1 }, tags: { country: 'DE' }, label: 'yes' },
      { id: 'plain', time: 1_700_000_000_124, features: rows[1]!.features, prediction: 1, scores: 0.25, tags: null, label: null },
    ]);
    expect(() => decodeBatch('[]', 9)).toThrow('encoding 9');
  });

  it('stores one batch per (version, hour) and reads a window back with exact times and odd ids', async () => {
    const t = await createTestTenant(db);
    const { modelId, versionIds } = await modelOf(t, ['a', 'b']);
    const hour = Math.floor(Date.now() / HOUR) * HOUR - 5 * HOUR;
    const rows = [
      prediction(modelId, versionIds[0]!, 'q"uote', hour + 1),
      prediction(modelId, versionIds[0]!, 'back\\slash', hour + HOUR - 1),
      prediction(modelId, versionIds[0]!, 'next-hour', hour + HOUR + 7),
      prediction(modelId, versionIds[1]!, 'ünïcödé {,}', hour + 2),
    ];
    const r = await insertPredictions(db.pool, t, rows);
    expect(r.accepted).toBe(4);
    expect(r.windows.map((w) => [w.modelVersionId, w.minute.getTime(), w.count])).toEqual([
      [versionIds[0], hour, 1],
      [versionIds[0], hour + HOUR - 60_000, 1],
      [versionIds[0], hour + HOUR, 1],
      [versionIds[1], hour, 1],
    ]);
    const batches = await db.pool.query<{ model_version_id: string; hour: Date; event_count: number }>(
      'SELECT model_version_id, hour, event_count FROM prediction_batch WHERE project_id = $1 ORDER BY hour, model_version_id',
      [t.projectId],
    );
    expect(batches.rows.map((b) => [b.model_version_id, b.hour.getTime(), b.event_count])).toEqual(
      [
        [versionIds[0], hour, 2],
        [versionIds[1], hour, 1],
        [versionIds[0], hour + HOUR, 1],
      ].sort((x, y) => (x[1] as number) - (y[1] as number) || String(x[0]).localeCompare(String(y[0]))),
    );
    const firstHour = await all(predictionsInWindow(db.pool, t.organizationId, versionIds[0]!, hour, hour + HOUR));
    expect(firstHour.map((e) => [e.id, e.time])).toEqual([
      ['q"uote', hour + 1],
      ['back\\slash', hour + HOUR - 1],
    ]);
    // A window that cuts a batch keeps only its own events.
    const cut = await all(predictionsInWindow(db.pool, t.organizationId, versionIds[0]!, hour + 2, hour + HOUR + 8));
    expect(cut.map((e) => e.id)).toEqual(['back\\slash', 'next-hour']);
    const keys = await db.pool.query<{ client_id: string; event_time: Date }>('SELECT client_id, event_time FROM prediction_key WHERE project_id = $1 ORDER BY event_time', [
      t.projectId,
    ]);
    expect(keys.rows.map((k) => [k.client_id, k.event_time.getTime()])).toEqual([
      ['q"uote', hour + 1],
      ['ünïcödé {,}', hour + 2],
      ['back\\slash', hour + HOUR - 1],
      ['next-hour', hour + HOUR + 7],
    ]);
  });

  it('stores a body whose items make one batch as it arrived, and reads the same events back', async () => {
    const t = await createTestTenant(db);
    const { modelId, versionIds } = await modelOf(t);
    const v = versionIds[0]!;
    const receivedAt = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR + 30 * 60_000;
    const items = [
      { id: 'iso', model: 'm', timestamp: new Date(receivedAt - 1000).toISOString(), features: { x: 1, c: 'a"b' }, prediction: 'yes', scores: { yes: 0.8 }, tags: { g: 'DE' } },
      { id: 'ms', model: 'm', timestamp: receivedAt - 2000, features: { x: 2 }, prediction: 'no', label: 'no' },
      { id: 'now', model: 'm', features: { x: null }, prediction: 'yes' },
    ];
    const text = JSON.stringify({ predictions: items });
    const rows = items.map((it) =>
      prediction(modelId, v, it.id, typeof it.timestamp === 'string' ? Date.parse(it.timestamp) : (it.timestamp ?? receivedAt), {
        features: it.features,
        prediction: it.prediction,
        ...(it.scores ? { scores: it.scores } : {}),
        ...(it.tags ? { tags: it.tags } : {}),
        ...(it.label ? { label: it.label } : {}),
      }),
    );
    expect((await insertPredictions(db.pool, t, rows, { body: { text, receivedAt } })).accepted).toBe(3);
    const stored = await db.pool.query<{ encoding: number; events: string; received_at: Date }>('SELECT encoding, events, received_at FROM prediction_batch WHERE project_id = $1', [
      t.projectId,
    ]);
    expect(stored.rows.map((r) => [r.encoding, r.events, r.received_at.getTime()])).toEqual([[2, text, receivedAt]]);
    const back = await all(predictionsInWindow(db.pool, t.organizationId, v, receivedAt - HOUR, receivedAt + HOUR));
    expect(back).toEqual([
      { id: 'iso', time: receivedAt - 1000, features: { x: 1, c: 'a"b' }, prediction: 'yes', scores: { yes: 0.8 }, tags: { g: 'DE' }, label: null },
      { id: 'ms', time: receivedAt - 2000, features: { x: 2 }, prediction: 'no', scores: null, tags: null, label: 'no' },
      { id: 'now', time: receivedAt, features: { x: null }, prediction: 'yes', scores: null, tags: null, label: null },
    ]);
    const view = await db.pool.query<{ client_id: string; event_time: Date; label: unknown; scores: unknown }>(
      'SELECT client_id, event_time, label, scores FROM vigil_prediction_events WHERE project_id = $1 ORDER BY event_time',
      [t.projectId],
    );
    expect(view.rows.map((r) => [r.client_id, r.event_time.getTime() - receivedAt, r.label, r.scores])).toEqual([
      ['ms', -2000, 'no', null],
      ['iso', -1000, null, { yes: 0.8 }],
      ['now', 0, null, null],
    ]);
    // A body spanning two hours is not one batch: its events are encoded one by one.
    const t2 = await createTestTenant(db);
    const m2 = await modelOf(t2);
    const split = [prediction(m2.modelId, m2.versionIds[0]!, 'a', receivedAt), prediction(m2.modelId, m2.versionIds[0]!, 'b', receivedAt + HOUR)];
    await insertPredictions(db.pool, t2, split, { body: { text: '{"predictions":[]}', receivedAt } });
    const encodings = await db.pool.query<{ encoding: number }>('SELECT encoding FROM prediction_batch WHERE project_id = $1', [t2.projectId]);
    expect(encodings.rows.map((r) => r.encoding)).toEqual([1, 1]);
  });

  it('writes requests of many batches, and counts ids already stored as duplicates', async () => {
    const t = await createTestTenant(db);
    const { modelId, versionIds } = await modelOf(t);
    const v = versionIds[0]!;
    // More hours, so more batches, than are passed as scalar parameters: the array statement.
    const hours = MAX_SCALAR_BATCHES + 6;
    const base = Math.floor(Date.now() / HOUR) * HOUR - (hours + 4) * HOUR;
    const rows = Array.from({ length: 2 * hours }, (_, i) => prediction(modelId, v, `p${i}`, base + (i % hours) * HOUR + i));
    expect((await insertPredictions(db.pool, t, rows)).accepted).toBe(2 * hours);
    const again = [...rows.slice(0, hours), ...Array.from({ length: 12 }, (_, i) => prediction(modelId, v, `n${i}`, base + (i % 6) * HOUR + 1000 + i))];
    const r = await insertPredictions(db.pool, t, again);
    expect(r.accepted).toBe(12);
    expect(r.windows.reduce((s, w) => s + w.count, 0)).toBe(12);
    const stored = await all(predictionsInWindow(db.pool, t.organizationId, v, base, base + hours * HOUR));
    expect(stored).toHaveLength(2 * hours + 12);
    expect(new Set(stored.map((e) => e.id)).size).toBe(2 * hours + 12);
    // A retry that makes one batch takes the same careful path.
    const retry = await insertPredictions(db.pool, t, [rows[0]!, prediction(modelId, v, 'one-more', base + 5)]);
    expect([retry.accepted, retry.windows.map((w) => w.count)]).toEqual([1, [1]]);
    const view = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM vigil_prediction_events WHERE project_id = $1', [t.projectId]);
    expect(view.rows[0]!.n).toBe(2 * hours + 13);
  });

  it('gives the streaming reader exactly the batches of transactions in its range', async () => {
    const t = await createTestTenant(db);
    const { modelId, versionIds } = await modelOf(t);
    const v = versionIds[0]!;
    const now = Date.now();
    await insertPredictions(db.pool, t, [prediction(modelId, v, 'first', now)]);
    const mid = (await db.pool.query<{ x: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS x')).rows[0]!.x;
    await insertPredictions(db.pool, t, [prediction(modelId, v, 'second', now), prediction(modelId, v, 'third', now)]);
    const end = (await db.pool.query<{ x: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS x')).rows[0]!.x;
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      expect((await all(predictionsWrittenBetween(client, t.organizationId, v, '0', mid))).map((e) => e.id)).toEqual(['first']);
      expect((await all(predictionsWrittenBetween(client, t.organizationId, v, mid, end))).map((e) => e.id).sort()).toEqual(['second', 'third']);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  });

  it('matches labels to stored predictions at once, and labels sent first when the prediction is read', async () => {
    const t = await createTestTenant(db);
    const other = await createTestTenant(db);
    const { modelId, versionIds } = await modelOf(t);
    const v = versionIds[0]!;
    const at = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
    await insertPredictions(db.pool, t, [prediction(modelId, v, 'known', at + 10, { label: 0 })]);
    const early = await insertLabels(db.pool, t, [
      { id: 'known', time: at + 5_000, label: 1 },
      { id: 'later', time: at + 6_000, label: 'x' },
    ]);
    expect(early.accepted).toBe(2);
    expect(early.windows).toEqual([{ modelId, modelVersionId: v, hour: new Date(at), day: new Date(Math.floor(at / 86_400_000) * 86_400_000) }]);
    // Another tenant's label for the same id changes nothing here.
    await insertLabels(db.pool, other, [{ id: 'later', time: at, label: 'other' }]);
    expect((await insertLabels(db.pool, t, [{ id: 'known', time: at, label: 2 }])).accepted).toBe(0);
    await insertPredictions(db.pool, t, [prediction(modelId, v, 'later', at + 20)]);
    const labels = await labelsForPredictions(db.pool, t, v, at, at + HOUR, ['known', 'later']);
    expect(Object.fromEntries([...labels].map(([id, l]) => [id, [l.label, l.time - at]]))).toEqual({ known: [1, 5_000], later: ['x', 6_000] });
    const matched = await db.pool.query<{ prediction_id: string; prediction_time: Date }>(
      'SELECT prediction_id, prediction_time FROM prediction_label WHERE project_id = $1 AND model_version_id = $2 ORDER BY 1',
      [t.projectId, v],
    );
    expect(matched.rows.map((r) => [r.prediction_id, r.prediction_time.getTime() - at])).toEqual([
      ['known', 10],
      ['later', 20],
    ]);
    const view = await db.pool.query<{ client_id: string; label: unknown }>('SELECT client_id, label FROM vigil_prediction_events WHERE project_id = $1 ORDER BY 1', [
      t.projectId,
    ]);
    expect(view.rows).toEqual([
      { client_id: 'known', label: 1 },
      { client_id: 'later', label: 'x' },
    ]);
  });
});

describe('the prediction writer', () => {
  it('commits requests that arrive while a write is in flight together, for any tenants', async () => {
    const tenants = [await createTestTenant(db), await createTestTenant(db)];
    const models = [await modelOf(tenants[0]!), await modelOf(tenants[1]!)];
    const writer = new PredictionWriter(db.pool, { concurrency: 1 });
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => {
        const k = i % 2;
        const m = models[k]!;
        return writer.write(tenants[k]!, [prediction(m.modelId, m.versionIds[0]!, `r${i}-a`, now), prediction(m.modelId, m.versionIds[0]!, `r${i}-b`, now)]);
      }),
    );
    expect(results.map((r) => r.accepted)).toEqual(Array(10).fill(2));
    // The first request went alone; the nine that queued behind it share one transaction.
    const xids = await db.pool.query<{ project_id: string; xid: string }>(
      'SELECT project_id, xid::text FROM prediction_batch WHERE project_id = ANY($1)',
      [tenants.map((t) => t.projectId)],
    );
    expect(xids.rows).toHaveLength(10);
    expect(new Set(xids.rows.map((r) => r.xid)).size).toBe(2);
    for (const [k, t] of tenants.entries()) {
      const stored = await all(predictionsInWindow(db.pool, tenants[k]!.organizationId, models[k]!.versionIds[0]!, now, now + 1));
      expect(stored.map((e) => e.id).sort()).toEqual(
        Array.from({ length: 5 }, (_, j) => 2 * j + k).flatMap((i) => [`r${i}-a`, `r${i}-b`]).sort(),
      );
      const keys = await db.pool.query<{ model_version_id: string; n: number }>(
        'SELECT model_version_id, count(*)::int AS n FROM prediction_key WHERE project_id = $1 GROUP BY 1',
        [t.projectId],
      );
      expect(keys.rows).toEqual([{ model_version_id: models[k]!.versionIds[0], n: 10 }]);
    }
  });

  it('writes a group that holds a retried id request by request, counting the duplicate once', async () => {
    const t = await createTestTenant(db);
    const { modelId, versionIds } = await modelOf(t);
    const v = versionIds[0]!;
    const now = Date.now();
    await insertPredictions(db.pool, t, [prediction(modelId, v, 'seen', now)]);
    const writer = new PredictionWriter(db.pool, { concurrency: 1 });
    const [first, retry, fresh] = await Promise.all([
      writer.write(t, [prediction(modelId, v, 'w1', now)]),
      writer.write(t, [prediction(modelId, v, 'seen', now), prediction(modelId, v, 'w2', now)]),
      writer.write(t, [prediction(modelId, v, 'w3', now)]),
    ]);
    expect([first.accepted, retry.accepted, fresh.accepted]).toEqual([1, 1, 1]);
    const stored = await all(predictionsInWindow(db.pool, t.organizationId, v, now, now + 1));
    expect(stored.map((e) => e.id).sort()).toEqual(['seen', 'w1', 'w2', 'w3']);
  });

  it('refuses a request at once when its backlog is full, stores none of it, and takes it again once drained', async () => {
    const t = await createTestTenant(db);
    const { modelId, versionIds } = await modelOf(t);
    const v = versionIds[0]!;
    const now = Date.now();
    const two = (name: string) => [prediction(modelId, v, `${name}-a`, now), prediction(modelId, v, `${name}-b`, now)];
    const writer = new PredictionWriter(db.pool, { concurrency: 1, maxQueuedEvents: 3 });
    // The first request goes to the database at once; the second waits (2 events queued); a
    // third would make 4 > 3.
    const inFlight = writer.write(t, two('q1'));
    const waiting = writer.write(t, two('q2'));
    expect(writer.queuedEvents).toBe(2);
    expect(writer.full).toBe(false);
    await expect(writer.write(t, two('q3'))).rejects.toBeInstanceOf(IngestBacklogError);
    expect(writer.queuedEvents).toBe(2);
    expect((await inFlight).accepted).toBe(2);
    expect((await waiting).accepted).toBe(2);
    expect(writer.queuedEvents).toBe(0);
    let stored = await all(predictionsInWindow(db.pool, t.organizationId, v, now, now + 1));
    expect(stored.map((e) => e.id).sort()).toEqual(['q1-a', 'q1-b', 'q2-a', 'q2-b']);
    // Alone, a request larger than the bound is still taken: nothing waits.
    expect((await writer.write(t, [...two('q3'), ...two('q4')])).accepted).toBe(4);
    stored = await all(predictionsInWindow(db.pool, t.organizationId, v, now, now + 1));
    expect(stored).toHaveLength(8);
  });
});
