import { randomBytes } from 'node:crypto';
import { DefaultJobOptions, JobId, QueueName } from '@vigil/contracts';
import { insertNewPredictions } from '@vigil/db';
import { createTestTenant, type Db, type TestTenant } from '@vigil/db/testing';
import { deserializeProfile, type ColumnProfile } from '@vigil/metrics';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { buildReferenceProfile } from '@vigil/services';
import { createModel, insertReference, rows, type TestModel } from './fixtures.js';

/**
 * A deterministic backlog of prediction events: per model, `transactions` inserts of `perTx`
 * events each, spread over the first `minutes` minutes of `hour`. Identical arguments give
 * identical rows (values, event times) in any tenant, so runs can be compared.
 */
export interface BacklogSpec {
  models: number;
  transactions: number;
  perTx: number;
  minutes: number;
  hour: Date;
}

export interface Backlog {
  tenant: TestTenant;
  models: TestModel[];
  spec: BacklogSpec;
  /** Events per model version once every transaction is inserted. */
  perModel: number;
}

/** A tenant with the backlog's models, each with a reference built from the same rows. */
export async function prepareBacklog(db: Db, spec: BacklogSpec): Promise<Backlog> {
  const tenant = await createTestTenant(db);
  const models: TestModel[] = [];
  for (let m = 0; m < spec.models; m++) {
    const model = await createModel(db, tenant);
    const referenceDatasetId = await insertReference(db, tenant, model, rows(2_000, 0, 1_000 + m));
    await buildReferenceProfile(db, { organizationId: tenant.organizationId, projectId: tenant.projectId, modelId: model.modelId, referenceDatasetId });
    models.push(model);
  }
  return { tenant, models, spec, perModel: spec.transactions * spec.perTx };
}

/**
 * Inserts transactions [from, to) of every model, each in its own database transaction, the
 * way the API writes one request's batch (x is missing on every 50th event; the mean of x
 * drifts with the transaction number).
 */
export async function insertTransactions(db: Db, b: Backlog, from: number, to: number): Promise<void> {
  const { spec, tenant } = b;
  for (let tx = from; tx < to; tx++) {
    for (let m = 0; m < b.models.length; m++) {
      const model = b.models[m]!;
      const data = rows(spec.perTx, tx * 0.05, 10_000 * (m + 1) + tx);
      const spreadMs = spec.minutes * 60_000;
      await insertNewPredictions(
        db.pool,
        tenant,
        Array.from(data.x, (x, i) => ({
          modelId: model.modelId,
          modelVersionId: model.versionId,
          id: `m${m}-t${tx}-${i + 1}`,
          time: spec.hour.getTime() + ((i * 7919 + tx) % spreadMs),
          features: { x: (i + 1) % 50 === 0 ? null : x, c: data.c[i] ?? null },
          prediction: x * 2,
        })),
      );
    }
  }
}

/** Enqueues the ingest-window jobs the API enqueues after a commit: one per (version, minute). */
export async function enqueueWindows(redisUrl: string, prefix: string, b: Backlog): Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(QueueName.ingestWindow, { connection, prefix, defaultJobOptions: DefaultJobOptions[QueueName.ingestWindow] });
  try {
    for (const model of b.models) {
      for (let m = 0; m < b.spec.minutes; m++) {
        const payload = {
          organizationId: b.tenant.organizationId,
          projectId: b.tenant.projectId,
          modelId: model.modelId,
          modelVersionId: model.versionId,
          minute: new Date(b.spec.hour.getTime() + m * 60_000).toISOString(),
        };
        await queue.add(QueueName.ingestWindow, payload, { jobId: JobId.ingestWindow(payload) });
      }
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

export async function eventsMerged(db: Db, versionId: string): Promise<number> {
  const r = await db.pool.query<{ n: string }>(`SELECT events_merged::text AS n FROM stream_state WHERE model_version_id = $1`, [versionId]);
  return Number(r.rows[0]?.n ?? 0);
}

/** Whether the version has committed events past its streaming frontier. */
export async function hasPending(db: Db, versionId: string): Promise<boolean> {
  const r = await db.pool.query<{ p: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM prediction_batch b LEFT JOIN stream_state s ON s.model_version_id = b.model_version_id
       WHERE b.model_version_id = $1 AND b.xid >= COALESCE(s.frontier, '0'::xid8) AND b.xid < pg_snapshot_xmin(pg_current_snapshot())) AS p`,
    [versionId],
  );
  return r.rows[0]!.p;
}

/** Whether a merge transaction of the version is open right now (someone holds its stream lock). */
export async function streamLockHeld(db: Db, versionId: string): Promise<boolean> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    const r = await client.query<{ got: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS got`, [`stream:${versionId}`]);
    await client.query('ROLLBACK');
    return !r.rows[0]!.got;
  } finally {
    client.release();
  }
}

export async function queueCounts(redisUrl: string, prefix: string): Promise<Record<string, number>> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(QueueName.ingestWindow, { connection, prefix });
  try {
    return await queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized', 'waiting-children', 'failed');
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/**
 * Waits until every event of the backlog is merged (no version has events past its frontier,
 * `events_merged` equals the events inserted) and the ingest-window queue holds no job that is
 * active, waiting or delayed.
 */
export async function waitMerged(db: Db, redisUrl: string, prefix: string, b: Backlog, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const merged = await Promise.all(b.models.map((m) => eventsMerged(db, m.versionId)));
    const pending = await Promise.all(b.models.map((m) => hasPending(db, m.versionId)));
    const counts = await queueCounts(redisUrl, prefix);
    const busy = counts.active! + counts.waiting! + counts.delayed! + counts.prioritized!;
    if (merged.every((n) => n === b.perModel) && !pending.some(Boolean) && busy === 0) return;
    if (Date.now() > deadline) throw new Error(`backlog not merged within ${timeoutMs} ms: ${JSON.stringify({ merged, pending, counts })}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface StoredProfile {
  key: string;
  eventCount: number;
  profile: ColumnProfile;
}

export interface Snapshot {
  /** Per model index: hour/day/minute column profiles keyed `granularity|window|role|column|segment`. */
  profiles: Map<string, StoredProfile>[];
  /** Per model index: hour/day metric points keyed `granularity|window|metric|column|segment`. */
  points: Map<string, number>[];
}

export async function snapshot(db: Db, b: Backlog): Promise<Snapshot> {
  const out: Snapshot = { profiles: [], points: [] };
  for (const model of b.models) {
    const prof = await db.pool.query<{ granularity: string; window_start: Date; role: string; column_name: string; segment: string; event_count: string; profile: unknown }>(
      `SELECT granularity, window_start, role, column_name, segment, event_count::text, profile FROM column_profile WHERE model_version_id = $1`,
      [model.versionId],
    );
    out.profiles.push(
      new Map(
        prof.rows.map((r) => {
          const key = `${r.granularity}|${r.window_start.toISOString()}|${r.role}|${r.column_name}|${r.segment}`;
          return [key, { key, eventCount: Number(r.event_count), profile: deserializeProfile(r.profile) }];
        }),
      ),
    );
    const pts = await db.pool.query<{ granularity: string; window_start: Date; metric: string; column_name: string; segment: string; value: number }>(
      `SELECT granularity, window_start, metric, column_name, segment, value FROM metric_point
       WHERE model_version_id = $1 AND granularity IN ('hour', 'day')`,
      [model.versionId],
    );
    out.points.push(new Map(pts.rows.map((r) => [`${r.granularity}|${r.window_start.toISOString()}|${r.metric}|${r.column_name}|${r.segment}`, r.value])));
  }
  return out;
}

export const uniquePrefix = (tag: string) => `vf-${tag}-${randomBytes(4).toString('hex')}`;
