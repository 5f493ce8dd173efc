import type { ColumnReport, ColumnTask } from '../index.js';

export interface WorkerRequest {
  id: number;
  task: ColumnTask;
}

export type WorkerReply =
  | { id: number; report: ColumnReport }
  | { id: number; error: { message: string; metrics: boolean; stack: string } };
