import type pg from 'pg';
import { IngestBacklogError, isStorageUnavailable } from '../errors.js';
import type { TenantRef } from '../executor.js';
import { withPartitions } from '../partitions.js';
import { batchesOf, windowsOf, type Batch } from './batches.js';
import type { PredictionInput } from './encoding.js';
import { insertPredictions, type InsertPredictionsOptions, type InsertPredictionsResult } from './insert.js';
import { MAX_SCALAR_BATCHES, writeBatchesWithKeys } from './statements.js';

export interface PredictionWriterOptions {
  /**
   * Statements in flight at once (default 1); requests that arrive while all are busy are written
   * together. One writer per process measured best on 2 cores (bench/RESULTS.md): it makes the
   * largest groups, and Postgres flushes one commit at a time anyway.
   */
  concurrency?: number;
  /** Upper bound of events in one statement. */
  maxEvents?: number;
  /**
   * Events that may wait for a write (default 100,000). Beyond, `write` refuses at once with
   * IngestBacklogError instead of queueing: under more load than the database absorbs, memory
   * and latency stay bounded, and clients back off and retry instead of timing out. A request
   * is never refused while nothing waits, however large.
   */
  maxQueuedEvents?: number;
}

interface Pending {
  tenant: TenantRef;
  rows: PredictionInput[];
  opts: InsertPredictionsOptions;
  batches: Batch[];
  resolve: (r: InsertPredictionsResult) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for ingest: requests that arrive while `concurrency` writes are in flight wait
 * and are then written together, in one statement and one transaction. Every request is still
 * acknowledged only after the transaction holding its events committed. On a busy server this
 * turns many small commits into few larger ones, which is what Postgres is slowest at: each
 * commit waits for its WAL to reach the disk, one flush at a time. A request alone is written
 * at once, so an idle server adds no latency.
 *
 * A group that fails because some id was already stored (a retry) or for a reason of its own
 * data is written again request by request, so only the request at fault sees its error.
 */
export class PredictionWriter {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private readonly concurrency: number;
  private readonly maxEvents: number;
  private readonly maxQueuedEvents: number;
  private queued = 0;

  constructor(
    private readonly pool: pg.Pool,
    options: PredictionWriterOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.maxEvents = Math.max(1, options.maxEvents ?? 10_000);
    this.maxQueuedEvents = Math.max(1, options.maxQueuedEvents ?? 100_000);
  }

  /** Events accepted by `write` and not yet handed to the database. */
  get queuedEvents(): number {
    return this.queued;
  }

  /** True when `write` refuses every request: `maxQueuedEvents` events are waiting. */
  get full(): boolean {
    return this.queued >= this.maxQueuedEvents;
  }

  /** Stores `rows` like `insertPredictions`, possibly in one transaction with other requests. */
  write(tenant: TenantRef, rows: PredictionInput[], opts: InsertPredictionsOptions = {}): Promise<InsertPredictionsResult> {
    if (rows.length === 0) return Promise.resolve({ accepted: 0, windows: [] });
    if (this.queue.length > 0 && this.queued + rows.length > this.maxQueuedEvents) return Promise.reject(new IngestBacklogError(this.maxQueuedEvents));
    const receivedAt = opts.body?.receivedAt ?? opts.receivedAt ?? Date.now();
    this.queued += rows.length;
    return new Promise((resolve, reject) => {
      this.queue.push({ tenant, rows, opts: { ...opts, receivedAt }, batches: batchesOf(tenant, rows, receivedAt, opts.body), resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const group: Pending[] = [this.queue.shift()!];
      let events = group[0]!.rows.length;
      let batches = group[0]!.batches.length;
      while (this.queue.length > 0) {
        const next = this.queue[0]!;
        if (events + next.rows.length > this.maxEvents || batches + next.batches.length > MAX_SCALAR_BATCHES) break;
        group.push(this.queue.shift()!);
        events += next.rows.length;
        batches += next.batches.length;
      }
      this.queued -= events;
      this.inFlight++;
      void this.writeGroup(group).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async writeGroup(group: Pending[]): Promise<void> {
    if (group.length === 1) return this.writeAlone(group[0]!);
    try {
      await withPartitions(
        this.pool,
        () => group.flatMap((p) => p.rows.map((r) => r.time)),
        () => this.pool.query(writeBatchesWithKeys(group.flatMap((p) => p.batches))),
      );
    } catch (err) {
      if (isStorageUnavailable(err)) {
        for (const p of group) p.reject(err);
        return;
      }
      // A retried id (unique violation), or an error of one request's data: each request on its own.
      await Promise.all(group.map((p) => this.writeAlone(p)));
      return;
    }
    for (const p of group) p.resolve({ accepted: p.rows.length, windows: windowsOf(p.rows) });
  }

  private async writeAlone(p: Pending): Promise<void> {
    try {
      p.resolve(await insertPredictions(this.pool, p.tenant, p.rows, p.opts));
    } catch (err) {
      p.reject(err);
    }
  }
}
