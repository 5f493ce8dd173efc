#!/usr/bin/env node
// `pnpm test`: builds the workspace (turbo, cached), then runs every package's vitest suite —
// unit, integration (real Postgres + Redis) and browser tests — two packages at a time, and
// ends with one summary line. `pnpm test api db` runs only the packages whose names match.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, checkServices, ROOT, run } from './lib.mjs';

const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  NEXT_TELEMETRY_DISABLED: '1',
  VIGIL_TEST_DATABASE_URL: process.env.VIGIL_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/vigil_test',
  VIGIL_TEST_REDIS_URL: process.env.VIGIL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/1',
};
const filters = process.argv.slice(2).filter((a) => a !== '--');

const problems = await checkServices({ databaseUrl: env.VIGIL_TEST_DATABASE_URL, redisUrl: env.VIGIL_TEST_REDIS_URL });
if (problems.length) {
  console.error(`\nTests need Postgres and Redis:\n\n${problems.map((p) => `• ${p}`).join('\n\n')}\n`);
  process.exit(1);
}

await run(join(BIN, 'turbo'), ['run', 'build', '--output-logs=errors-only'], { env });

const packages = [];
// Every package under packages/, apps/ and tooling/ (the pack-and-install test), and infra/
// (the deployment files' structural tests).
const dirs = [...['packages', 'apps', 'tooling'].flatMap((group) => readdirSync(join(ROOT, group)).sort().map((name) => join(ROOT, group, name))), join(ROOT, 'infra')];
{
  for (const dir of dirs) {
    const pkgFile = join(dir, 'package.json');
    if (!existsSync(pkgFile)) continue;
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    if (!pkg.scripts?.test) continue;
    if (filters.length && !filters.some((f) => pkg.name.includes(f))) continue;
    packages.push({ name: pkg.name, dir });
  }
}
// The worker suite measures streaming freshness in seconds and the browser suite starts Next.js
// and Chromium: each runs on its own after the others, never competing for the two cores.
const EXCLUSIVE = ['@vigil/worker', '@vigil/web'];
const exclusive = packages.filter((p) => EXCLUSIVE.includes(p.name));
const shared = packages.filter((p) => !EXCLUSIVE.includes(p.name));

function runSuite({ name, dir }) {
  const out = join(tmpdir(), `vigil-vitest-${process.pid}-${name.replace(/\W/g, '_')}.json`);
  rmSync(out, { force: true });
  return new Promise((resolve) => {
    const started = Date.now();
    // The package's own vitest; the workspace root's (the same catalog version) when pnpm linked
    // no bin for it (seen for infra/ on a fresh install).
    const own = join(dir, 'node_modules', '.bin', 'vitest');
    const child = spawn(
      existsSync(own) ? own : join(ROOT, 'node_modules', '.bin', 'vitest'),
      ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
      { cwd: dir, env: { ...env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    child.stdout.on('data', (c) => (log += c));
    child.stderr.on('data', (c) => (log += c));
    // A runner that cannot start is that suite's failure, not the end of the whole run.
    child.on('error', (err) => {
      process.stdout.write(`\n━━ ${name} ━━\ncould not start vitest: ${err.message}\n`);
      resolve({ name, code: 1, secs: '0.0', passed: 0, failed: 1, skipped: 0 });
    });
    child.on('exit', (code) => {
      let counts = { passed: 0, failed: 0, skipped: 0 };
      try {
        const r = JSON.parse(readFileSync(out, 'utf8'));
        counts = {
          passed: r.numPassedTests,
          // A suite that failed to load counts once, so it can never pass silently.
          failed: r.numFailedTests || r.numFailedTestSuites || 0,
          skipped: r.numPendingTests + r.numTodoTests,
        };
        if (r.numTotalTests === 0) counts.failed += 1; // a suite that ran nothing is a failure
      } catch {
        counts.failed += 1; // no report: the runner itself failed
      }
      if (code !== 0 && counts.failed === 0) counts.failed = 1;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`\n━━ ${name} (${secs}s) ━━\n${log}`);
      resolve({ name, code, secs, ...counts });
    });
  });
}

const results = [];
const CONCURRENCY = Number(process.env.VIGIL_TEST_CONCURRENCY ?? 2);
const queue = [...shared];
await Promise.all(
  Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
    while (queue.length) results.push(await runSuite(queue.shift()));
  }),
);
for (const p of exclusive) results.push(await runSuite(p));

const total = results.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }), {
  passed: 0,
  failed: 0,
  skipped: 0,
});
console.log('\nSummary');
for (const r of results) {
  console.log(`  ${r.failed ? '✗' : '✓'} ${r.name.padEnd(18)} ${String(r.passed).padStart(4)} passed  ${r.failed} failed  ${r.skipped} skipped  ${r.secs}s`);
}
console.log(`\nTests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 || results.length === 0 ? 1 : 0);
