#!/usr/bin/env node
// `pnpm start`: checks Postgres and Redis, builds what is not built yet, migrates, seeds the
// demo workspace, then runs api (:4000), worker and web (:3000) in production mode with
// prefixed, readable logs, and the demo simulator once the API answers. Ctrl-C stops them all.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, checkServices, defaults, ROOT, run } from './lib.mjs';

const env = {
  ...process.env,
  NODE_ENV: 'production',
  DATABASE_URL: defaults.databaseUrl,
  REDIS_URL: defaults.redisUrl,
  TURBO_TELEMETRY_DISABLED: '1',
  NEXT_TELEMETRY_DISABLED: '1',
};

// The key channel secrets are sealed with: one per install, shared by api, worker and web,
// kept in .vigil/ (like the sign-in secret) unless VIGIL_SECRET_KEY is set.
if (!env.VIGIL_SECRET_KEY) {
  const file = join(ROOT, '.vigil/secret-key');
  if (!existsSync(file)) {
    mkdirSync(join(ROOT, '.vigil'), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  env.VIGIL_SECRET_KEY = readFileSync(file, 'utf8').trim();
}

const problems = await checkServices(defaults);
if (problems.length) {
  console.error(`\nVigil cannot start:\n\n${problems.map((p) => `• ${p}`).join('\n\n')}\n`);
  process.exit(1);
}

try {
  console.log('› building (cached after the first run)…');
  // Only the three apps, the demo and what they depend on (not the CLI or benchmarks).
  await run(
    join(BIN, 'turbo'),
    ['run', 'build', '--output-logs=errors-only', '--filter=@vigil/api...', '--filter=@vigil/worker...', '--filter=@vigil/web...', '--filter=@vigil/demo...'],
    { env },
  );
  console.log('› migrating the database…');
  await run(process.execPath, ['packages/db/dist/bin/migrate.js'], { env });
  console.log('› seeding the demo workspace (30 days of history on the first start)…');
  await run(process.execPath, ['packages/demo/dist/bin/seed.js'], { env });
} catch (err) {
  console.error(`\nVigil cannot start: ${err.message}`);
  process.exit(1);
}

const COLORS = { api: 36, worker: 35, web: 32, demo: 33 };
const LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** Turns a pino JSON line into "12:00:01 info  message key=value"; other lines pass through. */
function pretty(line) {
  if (!line.startsWith('{')) return line;
  try {
    const { time, level, msg, service: _s, pid: _p, hostname: _h, context: _c, ...rest } = JSON.parse(line);
    const t = typeof time === 'string' ? time.slice(11, 19) : new Date(time ?? Date.now()).toISOString().slice(11, 19);
    const extra = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return `${t} ${(LEVELS[level] ?? level).padEnd(5)} ${msg ?? ''}${extra ? ` ${extra}` : ''}`;
  } catch {
    return line;
  }
}

const children = [];
/** Runs a child with prefixed logs; when a `critical` one exits, everything stops. */
function launch(name, cmd, args, extraEnv = {}, cwd = ROOT, critical = true) {
  const child = spawn(cmd, args, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `\x1b[${COLORS[name]}m${name.padEnd(6)}\x1b[0m│ `;
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream.on('data', (chunk) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop();
      for (const l of lines) if (l.trim()) process.stdout.write(prefix + pretty(l) + '\n');
    });
  }
  child.on('exit', (code, signal) => {
    process.stdout.write(`${prefix}exited (${signal ?? code})\n`);
    if (!stopping && critical) stop(code ?? 1);
  });
  children.push(child);
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\n› stopping api, worker, web and the demo simulator…');
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  }, 30_000);
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() => {
    clearTimeout(force);
    process.exit(code);
  });
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

// A larger young generation: ingest allocates short-lived objects per event (docs/deployment.md).
launch('api', process.execPath, ['--max-semi-space-size=64', 'apps/api/dist/main.js'], { PORT: process.env.API_PORT ?? '4000' });
launch('worker', process.execPath, ['apps/worker/dist/main.js']);
launch(
  'web',
  process.execPath,
  ['server.mjs', '-p', process.env.WEB_PORT ?? '3000'],
  { API_URL: `http://localhost:${process.env.API_PORT ?? '4000'}` },
  join(ROOT, 'apps/web'),
);
console.log('\n  Vigil is starting: web http://localhost:3000 · api http://localhost:4000 · Ctrl-C stops\n');

// Once the API answers, the demo simulator keeps the demo models' story going (through the SDK).
(async () => {
  const api = `http://localhost:${process.env.API_PORT ?? '4000'}`;
  for (let i = 0; i < 120 && !stopping; i++) {
    try {
      if ((await fetch(`${api}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (stopping) return;
  launch('demo', process.execPath, ['packages/demo/dist/bin/simulate.js'], { VIGIL_API_URL: api }, ROOT, false);
  console.log(`› demo: open http://localhost:${process.env.WEB_PORT ?? '3000'} and sign in with the demo account above; the API key reads metrics too:`);
  console.log(`    curl -H "Authorization: Bearer <API key above>" "${api}/v1/models/fraud-detector/metrics?granularity=hour&metric=drift_detected"`);
})();
