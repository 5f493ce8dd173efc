import { parentPort, workerData } from 'node:worker_threads';
import { CliError } from '../cli-error.js';
import type { ColumnMode } from './column-builder.js';
import { readTable } from './read-table.js';
import type { ReadReply, ReadRequest } from './read-in-worker.js';

// Parses one input file off the main thread; the columns come back on shared memory.
const port = parentPort!;
const request = workerData as ReadRequest;
const reply = (message: ReadReply): void => port.postMessage(message);
try {
  const result = await readTable(request.path, request.role, {
    modes: new Map<string, ColumnMode>(request.modes),
    progress: request.progress ? { isTTY: request.progress.isTTY, write: (text: string) => reply({ kind: 'progress', text }) } : null,
  });
  reply({ kind: 'done', result });
} catch (e) {
  reply({ kind: 'error', message: e instanceof Error ? e.message : String(e), usage: e instanceof CliError, stack: e instanceof Error ? (e.stack ?? '') : '' });
}
