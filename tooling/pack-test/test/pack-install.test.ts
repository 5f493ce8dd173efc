// The client packages as a user gets them: packed with `pnpm pack:clients`, installed with plain
// npm into an empty project outside the repository (nothing from the workspace: only the
// tarballs and public packages from the npm registry), then used the way their READMEs say.
import { execFile, type ExecFileOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestApi, type RunningApi } from '@vigil/api/testing';
import { createTestDb, createTestTenant } from '@vigil/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PACKAGES = ['contracts', 'metrics', 'sdk', 'cli'] as const;
/** The whole test (pack, install, run) must finish within this on a loaded two-core machine. */
const INSTALL_TIMEOUT_MS = 240_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(cmd: string, args: string[], opts: ExecFileOptions & { timeout: number }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { ...opts, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * The environment of a user's shell: none of the npm_* variables pnpm sets for the scripts it
 * runs (they would point npm at the workspace's configuration).
 */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...env, ...extra };
}

/** The first fenced block of the given language in a README. */
async function readmeBlock(pkg: string, lang: string): Promise<string> {
  const text = await readFile(join(ROOT, 'packages', pkg, 'README.md'), 'utf8');
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(text);
  if (!m) throw new Error(`packages/${pkg}/README.md has no \`\`\`${lang} block`);
  return m[1]!;
}

const db = createTestDb();
let api: RunningApi;
let dir: string;
let project: string;
let tarballs: string[];
const timings: Record<string, number> = {};

beforeAll(async () => {
  const started = Date.now();
  dir = await mkdtemp(join(tmpdir(), 'vigil-pack-'));
  project = join(dir, 'project');
  await mkdir(project);
  const apiStarting = startTestApi();

  // `pnpm test` has built every package; pack what is built.
  const pack = await exec(process.execPath, [join(ROOT, 'scripts', 'pack.mjs'), '--no-build', '--out', join(dir, 'tarballs')], {
    cwd: ROOT,
    timeout: INSTALL_TIMEOUT_MS,
  });
  expect(pack.code, pack.stderr).toBe(0);
  tarballs = JSON.parse(pack.stdout) as string[];
  timings.pack = Date.now() - started;

  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'pack-test-project', version: '1.0.0', private: true, type: 'module' }));
  const install = await exec('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs], {
    cwd: project,
    env: plainEnv(),
    timeout: INSTALL_TIMEOUT_MS - (Date.now() - started),
  });
  expect(install.code, install.stderr).toBe(0);
  expect(install.stderr).toBe('');
  timings.install = Date.now() - started - timings.pack;
  api = await apiStarting;
}, INSTALL_TIMEOUT_MS + 30_000);

afterAll(async () => {
  console.log(`pack-and-install: pack ${timings.pack} ms, npm install ${timings.install} ms`);
  await api?.close();
  await db.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('client packages installed with plain npm outside the repository', () => {
  it('are complete packages: version, license, README, types, engines, no workspace references', async () => {
    expect(tarballs.map((t) => t.split('/').pop())).toEqual(PACKAGES.map((p) => `vigil-${p}-0.1.0.tgz`));
    for (const p of PACKAGES) {
      const installed = join(project, 'node_modules', '@vigil', p);
      const pkg = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
      const source = JSON.parse(await readFile(join(ROOT, 'packages', p, 'package.json'), 'utf8')) as { version: string };
      expect(pkg.version).toBe(source.version);
      expect(pkg.private).toBeUndefined();
      expect(pkg.license).toBe('Apache-2.0');
      expect(pkg.engines).toEqual({ node: '>=20.19' });
      expect(existsSync(join(installed, 'LICENSE'))).toBe(true);
      expect(await readFile(join(installed, 'LICENSE'), 'utf8')).toContain('Apache License');
      expect(existsSync(join(installed, 'README.md'))).toBe(true);
      expect(existsSync(join(installed, pkg.types as string))).toBe(true);
      expect(JSON.stringify(pkg.dependencies ?? {})).not.toMatch(/workspace:|catalog:/);
      // Only what runs ships: no tests, sources or maps.
      expect(existsSync(join(installed, 'src'))).toBe(false);
    }
  });

  it('runs the SDK README example against the running API and the events are stored for its tenant', async () => {
    const t = await createTestTenant(db);
    await writeFile(join(project, 'example.mjs'), await readmeBlock('sdk', 'js'));
    const run = await exec(process.execPath, ['example.mjs'], {
      cwd: project,
      env: plainEnv({ VIGIL_API_KEY: t.apiKey.secret, VIGIL_ENDPOINT: api.url }),
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/accepted: 2/);

    const stored = await db.pool.query<{ client_id: string; features: unknown; prediction: unknown; scores: unknown; label: unknown }>(
      'SELECT client_id, features, prediction, scores, label FROM vigil_prediction_events WHERE project_id = $1',
      [t.projectId],
    );
    expect(stored.rows).toHaveLength(1);
    const [row] = stored.rows;
    expect(row!.client_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row).toMatchObject({ features: { amount: 42.5, country: 'DE' }, prediction: 1, scores: 0.91, label: 0 });

    // Another tenant's key stores nothing here, and this tenant's events are not elsewhere.
    const other = await createTestTenant(db);
    const elsewhere = await db.pool.query('SELECT 1 FROM vigil_prediction_events WHERE project_id = $1', [other.projectId]);
    expect(elsewhere.rows).toHaveLength(0);
  });

  it('runs `npx vigil report` on two files and writes the same JSON as the workspace CLI', async () => {
    const rows = (shift: number) =>
      ['amount,country,churned', ...Array.from({ length: 200 }, (_, i) => `${(i % 50) + shift},${['DE', 'FR', 'IT'][i % 3]},${i % 2}`)].join('\n') + '\n';
    await writeFile(join(project, 'a.csv'), rows(0));
    await writeFile(join(project, 'b.csv'), rows(30));
    const args = ['report', '--reference', 'a.csv', '--current', 'b.csv'];
    const run = await exec('npx', ['vigil', ...args, '--json', 'out.json'], { cwd: project, env: plainEnv(), timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/amount/);

    const report = JSON.parse(await readFile(join(project, 'out.json'), 'utf8')) as {
      reference: { rows: number };
      current: { rows: number };
      columns: { name: string; type: string; drift: { drifted: boolean } }[];
      dataset: { columns: number; driftedColumns: number; drifted: boolean };
    };
    expect(report.reference.rows).toBe(200);
    expect(report.current.rows).toBe(200);
    expect(report.columns.map((c) => [c.name, c.type, c.drift.drifted])).toEqual([
      ['amount', 'numerical', true],
      ['country', 'categorical', false],
      ['churned', 'numerical', false],
    ]);
    expect(report.dataset).toMatchObject({ columns: 3, driftedColumns: 1, drifted: false });

    // The installed CLI is the workspace's, byte for byte in its output.
    const own = await exec(process.execPath, [join(ROOT, 'packages', 'cli', 'dist', 'bin.js'), ...args, '--json', 'own.json'], {
      cwd: project,
      timeout: 60_000,
    });
    expect(own.code).toBe(0);
    expect(await readFile(join(project, 'out.json'), 'utf8')).toBe(await readFile(join(project, 'own.json'), 'utf8'));

    // The worker threads' scripts ship too: reading and the report on threads give the same JSON.
    const threaded = await exec('npx', ['vigil', ...args, '--json', 'threaded.json'], {
      cwd: project,
      env: plainEnv({ VIGIL_CLI_THREADS: 'always' }),
      timeout: 60_000,
    });
    expect(threaded.stderr).toBe('');
    expect(threaded.code).toBe(0);
    expect(await readFile(join(project, 'threaded.json'), 'utf8')).toBe(await readFile(join(project, 'out.json'), 'utf8'));

    const version = await exec('npx', ['vigil', '--version'], { cwd: project, env: plainEnv(), timeout: 30_000 });
    expect(version.stdout.trim()).toBe('0.1.0');
  });

  it('runs the metrics README example', async () => {
    await writeFile(join(project, 'metrics-example.mjs'), await readmeBlock('metrics', 'js'));
    const run = await exec(process.execPath, ['metrics-example.mjs'], { cwd: project, env: plainEnv(), timeout: 30_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/driftedColumns: 1,/);
    expect(run.stdout).toMatch(/drifted: true/);
  });

  it('gives TypeScript users the types of every entry point', async () => {
    await writeFile(
      join(project, 'consumer.ts'),
      [
        "import { Vigil, uuidv7, type PredictionInput, type VigilStats } from '@vigil/sdk';",
        "import { buildReport, type Report } from '@vigil/metrics';",
        "import { buildReportParallel } from '@vigil/metrics/node';",
        "import { renderSummary } from '@vigil/metrics/render';",
        "import { main } from '@vigil/cli';",
        "import { IngestLimits } from '@vigil/contracts';",
        "const input: PredictionInput = { id: uuidv7(), model: 'fraud', features: { amount: 1 }, prediction: 1 };",
        "const vigil = new Vigil({ apiKey: 'vgl_x', endpoint: 'http://localhost:4000', exitHooks: false });",
        'vigil.logPrediction(input);',
        'const stats: VigilStats = vigil.stats();',
        'const report: Report = buildReport({ a: Float64Array.from([1, 2]) }, { a: Float64Array.from([1, 3]) });',
        'export const all = [stats, report, buildReportParallel, renderSummary, main, IngestLimits.maxItemsPerRequest];',
        '// @ts-expect-error: `model` is required',
        "vigil.logPrediction({ features: {}, prediction: 1 });",
        '',
      ].join('\n'),
    );
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023', strict: true, noEmit: true, skipLibCheck: true, types: [] },
        files: ['consumer.ts'],
      }),
    );
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const run = await exec(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project, timeout: 120_000 });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
