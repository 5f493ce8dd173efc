// The Python tests' side door to a real Vigil: started by tests/support.py, it answers one JSON
// command per line on stdin with one JSON line on stdout. It runs real API processes
// (apps/api/dist/main.js) against the test database and Redis, makes a fresh tenant per test and
// counts what the database stored for it. Closing stdin stops every API it started.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  createTestDb,
  createTestTenant,
  prepareTestDatabase,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
} from '@vigil/db/testing';
import { freePort } from '@vigil/testing';

const API_MAIN = fileURLToPath(new URL('../../../apps/api/dist/main.js', import.meta.url));

await prepareTestDatabase();
const db = createTestDb();
/** port → API child process */
const apis = new Map();

/** Waits for /readyz; a loaded two-core machine can take 20 s and more to start the API. */
async function ready(port, child, log) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(
        `the API exited with ${child.exitCode} while starting: ${log().slice(-2000)}`,
      );
    const status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the API did not become ready within 120 s: ${log().slice(-2000)}`);
}

const ops = {
  async tenant() {
    const t = await createTestTenant(db);
    return { apiKey: t.apiKey.secret, projectId: t.projectId, organizationId: t.organizationId };
  },
  /** A loopback port nothing listens on (yet). */
  async port() {
    return { port: await freePort() };
  },
  /** Starts an API process (on `port` when given, to restart one under its clients). */
  async start({ port, env = {} }) {
    port ??= await freePort();
    const child = spawn(process.execPath, [API_MAIN], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: TEST_DATABASE_URL,
        REDIS_URL: TEST_REDIS_URL,
        LOG_LEVEL: 'silent',
        HOST: '127.0.0.1',
        PORT: String(port),
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-10_000)));
    apis.set(port, child);
    await ready(port, child, () => stderr);
    return { url: `http://127.0.0.1:${port}`, port };
  },
  /** Stops the API on `port` (SIGKILL by default: batches in flight lose their answers). */
  async stop({ port, signal = 'SIGKILL' }) {
    const child = apis.get(port);
    if (!child) throw new Error(`no API on port ${port}`);
    apis.delete(port);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    }
    return {};
  },
  /** What the database holds for a project: events, distinct client ids, labelled events. */
  async count({ projectId }) {
    const r = await db.pool.query(
      'SELECT count(*) AS n, count(DISTINCT client_id) AS d, count(label) AS l FROM vigil_prediction_events WHERE project_id = $1',
      [projectId],
    );
    return {
      events: Number(r.rows[0].n),
      distinctIds: Number(r.rows[0].d),
      labelled: Number(r.rows[0].l),
    };
  },
};

function stopAll() {
  for (const child of apis.values()) child.kill('SIGKILL');
  apis.clear();
}
process.on('exit', stopAll);

const lines = createInterface({ input: process.stdin });
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  try {
    const { op, ...args } = JSON.parse(line);
    if (!ops[op]) throw new Error(`unknown op ${op}`);
    answer = { ok: true, ...(await ops[op](args)) };
  } catch (err) {
    answer = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
stopAll();
await db.close();
