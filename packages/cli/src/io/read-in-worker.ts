import { Worker } from 'node:worker_threads';
import { CliError } from '../cli-error.js';
import type { ColumnMode } from './column-builder.js';
import type { ProgressSink } from './progress.js';
import type { ReadOptions, ReadResult } from './read-table.js';

export interface ReadRequest {
  path: string;
  role: string;
  modes: [string, ColumnMode][];
  progress: { isTTY: boolean } | null;
}

export type ReadReply =
  | { kind: 'progress'; text: string }
  | { kind: 'done'; result: ReadResult }
  | { kind: 'error'; message: string; usage: boolean; stack: string };

/**
 * readTable on a worker thread, so the reference and current files parse in parallel.
 * The typed columns are built on shared memory and arrive here without a copy.
 */
export function readTableInWorker(path: string, role: string, options: ReadOptions): Promise<ReadResult> {
  const sink: ProgressSink | null = options.progress;
  const request: ReadRequest = { path, role, modes: [...options.modes], progress: sink ? { isTTY: sink.isTTY === true } : null };
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./read-worker.js', import.meta.url), { workerData: request });
    let settled = false;
    worker.on('message', (m: ReadReply) => {
      if (m.kind === 'progress') {
        sink?.write(m.text);
        return;
      }
      settled = true;
      if (m.kind === 'done') resolve(m.result);
      else if (m.usage) reject(new CliError(m.message));
      else {
        const error = new Error(m.message);
        error.stack = m.stack;
        reject(error);
      }
      void worker.terminate();
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`reading ${path} stopped (worker exit code ${code})`));
    });
  });
}
