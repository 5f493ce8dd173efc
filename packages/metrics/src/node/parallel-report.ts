import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  assembleReport,
  columnLength,
  computeColumnReport,
  computeEstimates,
  computePerformance,
  isEncoded,
  MetricsError,
  planReport,
  type ColumnReport,
  type ColumnTask,
  type ColumnValues,
  type Report,
  type ReportOptions,
  type Table,
} from '../index.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';

export interface ParallelReportOptions extends ReportOptions {
  /** Worker threads (default: the number of cores this process may use). */
  workers?: number;
}

/** A Float64Array on shared memory, so worker threads read it without a copy. */
export function sharedFloat64Array(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

/** An Int32Array on shared memory. */
export function sharedInt32Array(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
}

function onSharedMemory<T extends Float64Array | Int32Array>(x: T, make: (n: number) => T): T {
  if (x.buffer instanceof SharedArrayBuffer) return x;
  const copy = make(x.length);
  copy.set(x);
  return copy;
}

function shareable(values: ColumnValues): ColumnValues {
  if (values instanceof Float64Array) return onSharedMemory(values, sharedFloat64Array);
  if (isEncoded(values)) return { codes: onSharedMemory(values.codes, sharedInt32Array), categories: values.categories };
  return values;
}

/** Plain string arrays are cheaper to process here than to clone to a worker. */
function runsOnWorker(task: ColumnTask): boolean {
  return !Array.isArray(task.reference) && !Array.isArray(task.current);
}

const WORKER_URL = new URL('./report-worker.js', import.meta.url);
/** Requests in flight per worker, so a worker never waits for this thread to hand it the next column. */
const IN_FLIGHT = 2;

/**
 * buildReport with the feature columns spread over worker threads (one per core by
 * default). Numerical and dictionary-encoded columns go to the workers on shared memory;
 * plain string columns and performance are computed on this thread meanwhile. The result
 * equals buildReport's.
 * @throws MetricsError as buildReport.
 */
export async function buildReportParallel(reference: Table, current: Table, options: ParallelReportOptions = {}): Promise<Report> {
  const { workers: requested, ...reportOptions } = options;
  const plan = planReport(reference, current, reportOptions);
  const results: (ColumnReport | undefined)[] = new Array(plan.tasks.length);
  const remote = plan.tasks.map((t, i) => i).filter((i) => runsOnWorker(plan.tasks[i]!));
  // Largest columns first, so the last column to finish is a short one.
  const size = (t: ColumnTask): number => columnLength(t.reference) + columnLength(t.current) * (t.type === 'numerical' ? 4 : 1);
  remote.sort((a, b) => size(plan.tasks[b]!) - size(plan.tasks[a]!));
  const threads = Math.max(1, Math.min(requested ?? availableParallelism(), remote.length));

  const remoteDone = remote.length === 0 ? Promise.resolve() : runOnWorkers(plan.tasks, remote, threads, results);
  // Errors from the pool surface when awaited below; keep them from being reported as unhandled meanwhile.
  remoteDone.catch(() => undefined);
  // Let the workers start before this thread gets busy.
  await new Promise((resolve) => setImmediate(resolve));
  plan.tasks.forEach((task, i) => {
    if (!runsOnWorker(task)) results[i] = computeColumnReport(task);
  });
  const performance = plan.performance ? computePerformance(plan.performance, reference, current, plan.warnings) : undefined;
  const estimates = computeEstimates(plan, reference, current);
  await remoteDone;
  return assembleReport(plan, results as ColumnReport[], performance, estimates);
}

function runOnWorkers(tasks: ColumnTask[], order: number[], threads: number, results: (ColumnReport | undefined)[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const pool: Worker[] = [];
    let next = 0;
    let pending = order.length;
    let failed = false;
    const finish = (error?: Error): void => {
      if (failed) return;
      if (error) failed = true;
      for (const w of pool) void w.terminate();
      if (error) reject(error);
      else resolve();
    };
    const send = (worker: Worker): void => {
      if (next >= order.length) return;
      const id = order[next++]!;
      const task = tasks[id]!;
      const request: WorkerRequest = { id, task: { ...task, reference: shareable(task.reference), current: shareable(task.current) } };
      worker.postMessage(request);
    };
    for (let w = 0; w < threads; w++) {
      const worker = new Worker(WORKER_URL);
      pool.push(worker);
      worker.on('message', (reply: WorkerReply) => {
        if ('error' in reply) {
          const error = reply.error.metrics ? new MetricsError(reply.error.message) : new Error(reply.error.message);
          if (!reply.error.metrics) error.stack = reply.error.stack;
          finish(error);
          return;
        }
        results[reply.id] = reply.report;
        if (--pending === 0) finish();
        else send(worker);
      });
      worker.on('error', (e) => finish(e));
      worker.on('exit', (code) => {
        if (pending > 0 && !failed) finish(new Error(`report worker exited with code ${code}`));
      });
      for (let k = 0; k < IN_FLIGHT; k++) send(worker);
    }
  });
}
