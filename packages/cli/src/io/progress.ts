/** Files at least this large show a progress indicator while they are read. */
export const PROGRESS_MIN_BYTES = 16 * 1024 * 1024;

export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Reading progress on stderr: a line rewritten in place on a terminal, otherwise one line
 * per quarter so logs stay short.
 */
export class Progress {
  private lastDraw = 0;
  private lastQuarter = 0;
  private bytes = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly sink: ProgressSink,
  ) {}

  advance(bytes: number, rows: number): void {
    this.bytes += bytes;
    const share = this.total > 0 ? Math.min(1, this.bytes / this.total) : 1;
    if (this.sink.isTTY) {
      const now = Date.now();
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.sink.write(`\r${this.label}: ${(share * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString('en-US')} rows`);
      return;
    }
    const quarter = Math.floor(share * 4);
    if (quarter > this.lastQuarter && quarter < 4) {
      this.lastQuarter = quarter;
      this.sink.write(`${this.label}: ${quarter * 25}%\n`);
    }
  }

  done(rows: number): void {
    this.sink.write(`${this.sink.isTTY ? '\r' : ''}${this.label}: done, ${rows.toLocaleString('en-US')} rows${this.sink.isTTY ? '    ' : ''}\n`);
  }
}
