import { parentPort } from 'node:worker_threads';
import { computeColumnReport, MetricsError, type ColumnTask } from '../index.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';

// Computes one column of a report per message; the column arrays arrive on shared memory.
const port = parentPort;
if (!port) throw new Error('report-worker runs inside a worker thread');
port.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id: request.id, report: computeColumnReport(request.task satisfies ColumnTask) };
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    reply = { id: request.id, error: { message: error.message, metrics: error instanceof MetricsError, stack: error.stack ?? '' } };
  }
  port.postMessage(reply);
});
