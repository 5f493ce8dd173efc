#!/usr/bin/env node
// `pnpm pack:clients [--out <dir>] [--no-build]`: builds the client packages and packs each into
// a tarball that plain `npm install` takes, outside this repository. `pnpm pack` turns each
// `workspace:*` dependency into the version it points to, so the packages they depend on inside
// the workspace (@vigil/contracts, and @vigil/metrics for the CLI) are packed alongside; install
// the tarballs together (docs/sdk.md, docs/cli.md). Prints the tarballs' paths as JSON.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BIN, ROOT, run } from './lib.mjs';

/** Dependencies first: the order `npm install` is given them in the docs. */
const CLIENT_PACKAGES = ['contracts', 'metrics', 'sdk', 'cli'];

const { values } = parseArgs({
  options: { out: { type: 'string', default: join(ROOT, '.vigil', 'packages') }, 'no-build': { type: 'boolean', default: false } },
});
const out = resolve(values.out);
mkdirSync(out, { recursive: true });

if (!values['no-build']) {
  const filters = CLIENT_PACKAGES.map((p) => `--filter=@vigil/${p}`);
  await run(join(BIN, 'turbo'), ['run', 'build', '--output-logs=errors-only', ...filters], {
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', process.stderr, 'inherit'], // stdout is the JSON list
  });
}

// The pnpm running this script when there is one (npm_execpath: a script or a native binary),
// else the pinned one through npx.
const execPath = process.env.npm_execpath ?? '';
const pinned = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).packageManager;
const [cmd, ...pre] = !/pnpm/.test(execPath)
  ? ['npx', '-y', pinned]
  : /\.[cm]?js$/.test(execPath)
    ? [process.execPath, execPath]
    : [execPath];

const tarballs = CLIENT_PACKAGES.map((p) => {
  const json = execFileSync(cmd, [...pre, 'pack', '--json', '--pack-destination', out], {
    cwd: join(ROOT, 'packages', p),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(json).filename;
});
process.stdout.write(`${JSON.stringify(tarballs, null, 2)}\n`);
