import type { ProgressSink } from './io/progress.js';

/** Where a command writes: stdout for results, stderr for progress and errors. */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressSink;
}
