// Throwaway Postgres and Redis servers for the fault drills: each on a free port of its own, so a
// drill can crash and restart them without touching the services the rest of the machine (or
// CI) relies on.
import { execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@vigil/testing';

const run = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Directory of initdb/pg_ctl: the newest Debian cluster version, else whatever is on PATH. */
function postgresBin() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return '';
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : '';
}

/**
 * A Postgres cluster in a temporary directory on a free loopback port, trust authentication,
 * user `postgres`. Postgres refuses to run as root: as root, its commands run as the `postgres`
 * system user (`runuser`). `fsync=off`: a crash of the server (not of the machine) loses nothing
 * that was committed, which is the fault the drill plays.
 */
export async function startPostgres() {
  const bin = postgresBin();
  const tool = (name) => (bin ? join(bin, name) : name);
  const asRoot = userInfo().uid === 0;
  const exec = (name, args) => (asRoot ? run('runuser', ['-u', 'postgres', '--', tool(name), ...args]) : run(tool(name), args));
  const dir = mkdtempSync(join(tmpdir(), 'vigil-drill-pg-'));
  if (asRoot) chownSync(dir, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), Number((await run('id', ['-g', 'postgres'])).stdout.trim()));
  const data = join(dir, 'data');
  await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c max_connections=200`;
  const ctl = (...args) => exec('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', ...args]);
  await ctl('-o', options, 'start');
  return {
    url: (db) => `postgresql://postgres@127.0.0.1:${port}/${db}`,
    /** Crashes the server (immediate shutdown: no checkpoint, recovery from WAL at start) and starts it again. */
    async restart() {
      const started = Date.now();
      await ctl('-m', 'immediate', 'stop');
      await sleep(1_000);
      await ctl('-o', options, 'start');
      return Date.now() - started;
    },
    async stop() {
      await ctl('-m', 'immediate', 'stop').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A redis-server without persistence on a free loopback port: a restart loses every job and schedule. */
export async function startRedis() {
  const port = await freePort();
  let proc;
  const launch = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (await run('redis-cli', ['-p', String(port), 'ping']).then((r) => r.stdout.trim() === 'PONG', () => false)) return;
      await sleep(100);
    }
    throw new Error(`redis-server did not start on port ${port}`);
  };
  const kill = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  };
  await launch();
  return {
    url: (db = 0) => `redis://127.0.0.1:${port}/${db}`,
    /** Kills the server (nothing saved) and starts an empty one on the same port. */
    async restart() {
      const started = Date.now();
      await kill();
      await sleep(1_000);
      await launch();
      return Date.now() - started;
    },
    stop: kill,
  };
}
