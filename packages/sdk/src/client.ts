import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import { IngestLimits, type IngestResponse, type Label, type Prediction } from '@vigil/contracts';
import { uuidv7 } from './ids.js';
import { Ring } from './ring.js';
import { checkLabel, checkPrediction } from './validate.js';

const gzip = promisify(gzipCb);

/** A prediction as logged: `id` and `timestamp` are filled in when omitted. */
export type PredictionInput = Omit<Prediction, 'id' | 'timestamp'> & { id?: string; timestamp?: string | number };
export type LabelInput = Label;

export interface VigilOptions {
  /** A project API key with the `ingest` scope (`vgl_…`). */
  apiKey: string;
  /** Base URL of the Vigil API, e.g. `http://localhost:4000`. */
  endpoint: string;
  /** Items per request (1..5,000). Default 500. */
  batchSize?: number;
  /** A partial batch is sent after this long. Default 1,000 ms. */
  flushIntervalMs?: number;
  /** Items held in memory per kind; when full the oldest is dropped (and counted). Default 100,000. */
  maxQueueSize?: number;
  /** Requests in flight at once. Default 2. */
  concurrency?: number;
  /** Attempts per batch before it is given up (counted as failed). Default: unlimited. */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt (with jitter) up to `maxBackoffMs`. Default 250 ms. */
  initialBackoffMs?: number;
  /** Default 30,000 ms. */
  maxBackoffMs?: number;
  /** Per-request timeout. Default 30,000 ms. */
  requestTimeoutMs?: number;
  /** Compress request bodies larger than 1 KB. Default true. */
  gzip?: boolean;
  /** Flush on `beforeExit` and SIGTERM/SIGINT. Default true. */
  exitHooks?: boolean;
  /** Called (never awaited) with errors that cost events; the SDK itself never throws. */
  onError?: (error: Error) => void;
}

export interface VigilStats {
  /** Items waiting in memory. */
  queued: number;
  /** Items the server stored. */
  accepted: number;
  /** Items the server already had (a retry of a delivered batch). */
  duplicates: number;
  /** Items not delivered, by reason. */
  dropped: { invalid: number; queueFull: number; rejected: number; failed: number };
  /** Requests repeated after a failure. */
  retries: number;
  requests: number;
  lastError?: string;
}

type Kind = 'predictions' | 'labels';

class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

const sleep = (ms: number, keepAlive: boolean) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    if (!keepAlive) t.unref();
  });

/**
 * The Vigil client. `logPrediction` and `logLabel` only validate cheaply and enqueue: they never
 * throw and never wait for the network. Batches are sent in the background, gzip-compressed,
 * and retried with exponential backoff and jitter (honouring `Retry-After`) with the same ids
 * and timestamps, so a retry of a batch that did arrive is counted once by the server.
 */
export class Vigil {
  private readonly opts: Required<Omit<VigilOptions, 'onError'>> & Pick<VigilOptions, 'onError'>;
  private readonly queues: Record<Kind, Ring<object>>;
  private readonly stats_: VigilStats = {
    queued: 0,
    accepted: 0,
    duplicates: 0,
    dropped: { invalid: 0, queueFull: 0, rejected: 0, failed: 0 },
    retries: 0,
    requests: 0,
  };
  private readonly inflight = new Set<Promise<void>>();
  private readonly timer: NodeJS.Timeout;
  private pumpScheduled = false;
  private flushing = 0;
  private closed = false;
  /** Set when shutdown's deadline passed: pending retries give up. */
  private abandon = false;
  private readonly url: Record<Kind, string>;
  private readonly exitHandlers: { event: string; fn: (...args: unknown[]) => void }[] = [];

  constructor(options: VigilOptions) {
    this.opts = {
      batchSize: 500,
      flushIntervalMs: 1_000,
      maxQueueSize: 100_000,
      concurrency: 2,
      maxAttempts: Number.POSITIVE_INFINITY,
      initialBackoffMs: 250,
      maxBackoffMs: 30_000,
      requestTimeoutMs: 30_000,
      gzip: true,
      exitHooks: true,
      ...options,
    };
    this.opts.concurrency = Math.max(1, Math.floor(this.opts.concurrency));
    this.opts.batchSize = Math.max(1, Math.min(IngestLimits.maxItemsPerRequest, Math.floor(this.opts.batchSize)));
    const base = this.opts.endpoint.replace(/\/+$/, '');
    this.url = { predictions: `${base}/v1/predictions`, labels: `${base}/v1/labels` };
    this.queues = { predictions: new Ring(this.opts.maxQueueSize), labels: new Ring(this.opts.maxQueueSize) };
    this.timer = setInterval(() => this.pump(true), this.opts.flushIntervalMs);
    this.timer.unref();
    if (this.opts.exitHooks) this.installExitHooks();
  }

  /** Queues a prediction. Fills in `id` (a UUIDv7) and `timestamp` (now) when missing. Never throws. */
  logPrediction(prediction: PredictionInput): void {
    const reason = checkPrediction(prediction);
    if (reason !== null) return this.invalid(reason);
    // One fixed shape (no spread): cheaper to build and to serialize; undefined fields are not sent.
    this.enqueue('predictions', {
      id: prediction.id ?? uuidv7(),
      model: prediction.model,
      version: prediction.version,
      timestamp: prediction.timestamp ?? Date.now(),
      features: prediction.features,
      prediction: prediction.prediction,
      scores: prediction.scores,
      tags: prediction.tags,
      label: prediction.label,
    });
  }

  /** Queues a ground-truth label for a prediction id. Never throws. */
  logLabel(label: LabelInput): void {
    const reason = checkLabel(label);
    if (reason !== null) return this.invalid(reason);
    this.enqueue('labels', { predictionId: label.predictionId, label: label.label, timestamp: label.timestamp ?? Date.now() });
  }

  /** Sends everything queued so far; resolves when it is delivered or given up. */
  async flush(): Promise<void> {
    this.flushing += 1;
    // Keeps the event loop alive while waiting (retry timers are unref'd otherwise).
    const keepAlive = setInterval(() => {}, 1 << 30);
    try {
      for (;;) {
        this.pump(true);
        if (this.inflight.size === 0) {
          if (this.queues.predictions.length === 0 && this.queues.labels.length === 0) return;
          continue;
        }
        await Promise.race(this.inflight);
      }
    } finally {
      clearInterval(keepAlive);
      this.flushing -= 1;
    }
  }

  /**
   * Stops accepting items, flushes, and resolves within `timeoutMs`: whatever is still
   * undelivered then is counted as failed.
   */
  async shutdown({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.removeExitHooks();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([this.flush(), deadline]);
    clearTimeout(timer);
    if (this.inflight.size > 0 || this.queues.predictions.length > 0 || this.queues.labels.length > 0) {
      this.abandon = true;
      await Promise.allSettled([...this.inflight]);
      for (const kind of ['predictions', 'labels'] as const) {
        const left = this.queues[kind].take(this.queues[kind].length).length;
        this.stats_.dropped.failed += left;
      }
    }
  }

  /** Counters since start (a copy). */
  stats(): VigilStats {
    return {
      ...this.stats_,
      dropped: { ...this.stats_.dropped },
      queued: this.queues.predictions.length + this.queues.labels.length,
    };
  }

  private invalid(reason: string): void {
    this.stats_.dropped.invalid += 1;
    this.stats_.lastError = `invalid item dropped: ${reason}`;
  }

  private enqueue(kind: Kind, item: object): void {
    if (this.closed) {
      this.stats_.dropped.failed += 1;
      return;
    }
    if (this.queues[kind].push(item)) this.stats_.dropped.queueFull += 1;
    if (this.queues[kind].length >= this.opts.batchSize && !this.pumpScheduled) {
      this.pumpScheduled = true;
      setImmediate(() => {
        this.pumpScheduled = false;
        this.pump(false);
      });
    }
  }

  /** Starts sends while there is capacity: full batches always, partial ones when `partial`. */
  private pump(partial: boolean): void {
    for (const kind of ['predictions', 'labels'] as const) {
      const q = this.queues[kind];
      while (this.inflight.size < this.opts.concurrency && q.length > 0 && (partial || q.length >= this.opts.batchSize)) {
        const batch = q.take(this.opts.batchSize);
        const p = this.deliver(kind, batch).finally(() => {
          this.inflight.delete(p);
          if (q.length >= this.opts.batchSize) this.pump(false);
        });
        this.inflight.add(p);
      }
    }
  }

  private async deliver(kind: Kind, batch: object[]): Promise<void> {
    const json = JSON.stringify(kind === 'predictions' ? { predictions: batch } : { labels: batch });
    const compress = this.opts.gzip && json.length > 1024;
    let body: Uint8Array | string;
    try {
      body = compress ? await gzip(json) : json;
    } catch (err) {
      return this.fail(batch.length, err as Error);
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.post(kind, body, compress);
        this.stats_.accepted += res.accepted;
        this.stats_.duplicates += res.duplicates;
        this.stats_.dropped.rejected += res.rejected.length;
        if (res.rejected.length > 0) this.stats_.lastError = `${res.rejected.length} items rejected by the server`;
        return;
      } catch (err) {
        const e = err instanceof DeliveryError ? err : new DeliveryError((err as Error).message, true);
        if (e.status === 413 && batch.length > 1) {
          // Too large for one request: send it as two.
          const half = Math.ceil(batch.length / 2);
          await Promise.all([this.deliver(kind, batch.slice(0, half)), this.deliver(kind, batch.slice(half))]);
          return;
        }
        if (!e.retryable || attempt >= this.opts.maxAttempts || this.abandon) return this.fail(batch.length, e);
        this.stats_.retries += 1;
        this.stats_.lastError = e.message;
        await sleep(this.backoff(attempt, e.retryAfterMs), this.flushing > 0);
        if (this.abandon) return this.fail(batch.length, e);
      }
    }
  }

  /** Exponential backoff with full jitter in [d/2, d]; a server's Retry-After is a lower bound. */
  private backoff(attempt: number, retryAfterMs?: number): number {
    const d = Math.min(this.opts.maxBackoffMs, this.opts.initialBackoffMs * 2 ** (attempt - 1));
    const jittered = d / 2 + Math.random() * (d / 2);
    return Math.max(jittered, retryAfterMs ?? 0);
  }

  private async post(kind: Kind, body: Uint8Array | string, compressed: boolean): Promise<IngestResponse> {
    this.stats_.requests += 1;
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${this.opts.apiKey}` };
    if (compressed) headers['content-encoding'] = 'gzip';
    let res: Response;
    try {
      res = await fetch(this.url[kind], { method: 'POST', headers, body, signal: AbortSignal.timeout(this.opts.requestTimeoutMs) });
    } catch (err) {
      throw new DeliveryError(`request failed: ${(err as Error).message}`, true);
    }
    const text = await res.text().catch(() => '');
    if (res.status === 200 || res.status === 207) {
      try {
        return JSON.parse(text) as IngestResponse;
      } catch {
        throw new DeliveryError(`unreadable answer (${res.status})`, true);
      }
    }
    const retryAfter = Number(res.headers.get('retry-after'));
    const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
    throw new DeliveryError(
      `HTTP ${res.status}: ${text.slice(0, 200)}`,
      retryable,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      res.status,
    );
  }

  private fail(count: number, err: Error): void {
    this.stats_.dropped.failed += count;
    this.stats_.lastError = err.message;
    try {
      this.opts.onError?.(err);
    } catch {
      // a failing callback must not break delivery
    }
  }

  private installExitHooks(): void {
    const beforeExit = () => {
      if (this.stats().queued > 0 && !this.closed) void this.flush();
    };
    const onSignal = (signal: unknown) => {
      void this.shutdown().finally(() => {
        // Other listeners got the signal already; alone, re-raise it for the default behaviour.
        if (process.listenerCount(signal as string) === 0) process.kill(process.pid, signal as NodeJS.Signals);
      });
    };
    this.exitHandlers.push({ event: 'beforeExit', fn: beforeExit }, { event: 'SIGTERM', fn: onSignal }, { event: 'SIGINT', fn: onSignal });
    for (const h of this.exitHandlers) process.on(h.event, h.fn);
  }

  private removeExitHooks(): void {
    for (const h of this.exitHandlers.splice(0)) process.removeListener(h.event, h.fn);
  }
}
