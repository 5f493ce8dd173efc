// Helpers shared by the start and test scripts (plain Node, no dependencies: they run before
// anything is built).
import { spawn } from 'node:child_process';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'node_modules', '.bin');

const START_HINTS = {
  postgres:
    'Start it with `docker compose -f infra/docker-compose.yml up -d postgres`, or on Debian/Ubuntu `sudo pg_ctlcluster $(ls /etc/postgresql) main start`, or point DATABASE_URL at a running server.',
  redis:
    'Start it with `docker compose -f infra/docker-compose.yml up -d redis`, or `redis-server --daemonize yes`, or point REDIS_URL at a running server.',
};

/** Resolves when host:port accepts a TCP connection, else rejects with the socket error. */
export function canConnect(host, port, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Checks Postgres and Redis; returns a list of human-readable problems (empty when fine). */
export async function checkServices({ databaseUrl, redisUrl }) {
  const problems = [];
  const targets = [
    { name: 'postgres', label: 'Postgres', url: new URL(databaseUrl), defaultPort: 5432, env: 'DATABASE_URL' },
    { name: 'redis', label: 'Redis', url: new URL(redisUrl), defaultPort: 6379, env: 'REDIS_URL' },
  ];
  await Promise.all(
    targets.map(async (t) => {
      const host = t.url.hostname || '127.0.0.1';
      const port = Number(t.url.port || t.defaultPort);
      try {
        await canConnect(host, port);
      } catch (err) {
        const db = t.name === 'postgres' ? ` (database "${t.url.pathname.slice(1)}")` : '';
        problems.push(
          `${t.label} is not reachable at ${host}:${port}${db}: ${err.code ?? err.message}.\n  ${START_HINTS[t.name]}\n  (${t.env}=${t.url.protocol}//${host}:${port}${t.url.pathname})`,
        );
      }
    }),
  );
  return problems;
}

/** Runs a command to completion, inheriting stdio; rejects on a non-zero exit. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${signal ?? code}`)),
    );
  });
}

export const defaults = {
  databaseUrl: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/vigil',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};
