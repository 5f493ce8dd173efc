import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '@vigil/db/testing';
import { freePort } from '@vigil/testing';

const WORKER_MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'main.js');

export interface ChildOptions {
  prefix: string;
  /** The database the process works on (the shared test database by default). */
  databaseUrl?: string;
  redisUrl?: string;
  concurrency?: number;
  /** Schedules the process registers (only the streaming sweep by default). */
  schedules?: string;
}

export interface WorkerProcess {
  proc: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  /** Output on stderr/stdout (warnings and errors only: LOG_LEVEL=warn). */
  output(): string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the built worker (`apps/worker/dist/main.js`) as its own OS process against the test
 * Postgres and the given Redis, so it can be killed like a real deployment's worker.
 */
export function spawnWorker(opts: ChildOptions): WorkerProcess {
  const proc = spawn(process.execPath, [WORKER_MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: opts.databaseUrl ?? TEST_DATABASE_URL,
      REDIS_URL: opts.redisUrl ?? TEST_REDIS_URL,
      QUEUE_PREFIX: opts.prefix,
      LOG_LEVEL: 'warn',
      WORKER_CONCURRENCY: String(opts.concurrency ?? 4),
      WORKER_SHUTDOWN_GRACE_MS: '5000',
      WORKER_SCHEDULES: opts.schedules ?? 'stream-sweep',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  if (proc.pid === undefined) throw new Error('worker process did not start');
  return {
    proc,
    pid: proc.pid,
    exited,
    output: () => out,
    async kill9() {
      proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A private, non-persistent redis-server on a free port, which a test may kill and restart. */
export async function startPrivateRedis(port?: number): Promise<{ url: string; port: number; kill(): Promise<void> }> {
  const p = port ?? (await freePort());
  const proc = spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const { Redis } = await import('ioredis');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = new Redis(p, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => {}); // refused until the server listens
    try {
      await r.connect();
      await r.ping();
      r.disconnect();
      break;
    } catch {
      r.disconnect();
      if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${p}`);
      await new Promise((res) => setTimeout(res, 100));
    }
  }
  return {
    url: `redis://127.0.0.1:${p}`,
    port: p,
    async kill() {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}
