import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelData, writeCsv } from './support/data.js';
import { runCli } from './support/run-cli.js';
import { spawnSync } from 'node:child_process';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median wall time of a bare `node -e 0`: the floor any command pays on this machine right now. */
function bareNode(runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    times.push(performance.now() - t0);
  }
  return median(times);
}
const VERSION = (JSON.parse(await readFile(resolve(import.meta.dirname, '../package.json'), 'utf8')) as { version: string }).version;

describe('vigil start-up', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-start-'));
    await Promise.all([writeCsv(join(dir, 'ref.csv'), modelData(1000, 1)), writeCsv(join(dir, 'cur.csv'), modelData(1000, 2, 1))]);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the version and the help without loading the report code (a few bare Node starts)', async () => {
    const version = await runCli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect((await runCli(['-v'])).stdout).toBe(`${VERSION}\n`);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: vigil <command>/);
    expect(help.stdout).toMatch(/--version/);
    // The bar is 150 ms on an idle machine (bench/cli). This test runs beside others on shared
    // cores, so it compares with a bare Node start measured at the same moment: loading the
    // report code (the metrics package) made --help 20 times slower than that.
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push((await runCli(['--version'])).ms, (await runCli(['--help'])).ms);
    expect(median(times)).toBeLessThan(3 * bareNode(5));
  });

  it('reports on two 1,000-row files in a few bare Node starts (below the crossover: no worker threads)', async () => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await runCli(['report', '--reference', join(dir, 'ref.csv'), '--current', join(dir, 'cur.csv'), '--target', 'churned', '--scores', 'score', '--json', join(dir, 'r.json')]);
      expect(run.code).toBe(0);
      times.push(run.ms);
    }
    // Idle machine: ~0.3 s (bench/RESULTS.md); before, worker threads alone took ~2 s, 50 bare Node starts.
    expect(median(times)).toBeLessThan(15 * bareNode(3));
    expect(JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'))).toMatchObject({ reference: { rows: 1000 }, current: { rows: 1000 } });
  });
});
