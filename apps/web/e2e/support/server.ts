import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { TEST_DATABASE_URL } from '@vigil/db/testing';
import { freePort } from '@vigil/testing';

export interface RunningWeb {
  url: string;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs the built app (`node server.mjs`, as `pnpm start` does) on a free port against the test database and waits until
 * it answers. `env` adds to or overrides the defaults; a key set to undefined is removed.
 */
export async function startWeb(env: Record<string, string | undefined> = {}): Promise<RunningWeb> {
  const port = await freePort();
  const cwd = resolve(import.meta.dirname, '../..');
  const url = `http://127.0.0.1:${port}`;
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: TEST_DATABASE_URL,
    WEB_URL: url,
    AUTH_SECRET: 'e2e-test-secret-that-is-long-enough-0123456789',
    VIGIL_SECRET_KEY: 'e2e-channel-secret-key-long-enough-0123456789',
    ...env,
  };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const child: ChildProcess = spawn(process.execPath, [resolve(cwd, 'server.mjs'), '-p', String(port), '-H', '127.0.0.1'], {
    cwd,
    env: childEnv as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c) => (output += c));
  child.stderr?.on('data', (c) => (output += c));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the web server exited early:\n${output}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the web server did not answer within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    output: () => output,
    stop: () =>
      new Promise((res) => {
        if (child.exitCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
      }),
  };
}
