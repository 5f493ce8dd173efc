import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The Python SDK's own suite (`python3 -m unittest`, in packages/sdk-python/tests), run as part
 * of `pnpm test`: the package is installed with pip exactly as the docs say, into a directory of
 * its own, and the tests import that copy. tests/test_api.py starts the real API through
 * tests/api_harness.mjs against the test database and Redis given in the environment.
 */
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const PYTHON = process.env.PYTHON ?? 'python3';

function run(
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('Python SDK (packages/sdk-python)', () => {
  let target: string;
  beforeAll(() => {
    target = mkdtempSync(join(tmpdir(), 'vigil-sdk-python-'));
  });
  afterAll(() => rmSync(target, { recursive: true, force: true }));

  it('installs with pip install --no-index --no-build-isolation, typed', async () => {
    const { code, output } = await run(
      [
        '-m',
        'pip',
        'install',
        '--no-index',
        '--no-build-isolation',
        '--no-compile',
        '--target',
        target,
        PACKAGE,
      ],
      { cwd: PACKAGE },
    );
    expect(code, output).toBe(0);
    expect(existsSync(join(target, 'vigil', '__init__.py'))).toBe(true);
    expect(existsSync(join(target, 'vigil', 'py.typed'))).toBe(true);
  });

  for (const module of ['test_wire', 'test_client', 'test_api']) {
    it(`python3 -m unittest ${module}`, { timeout: 600_000 }, async () => {
      expect(
        existsSync(join(target, 'vigil', '__init__.py')),
        'the package was not installed',
      ).toBe(true);
      const { code, output } = await run(['-m', 'unittest', '-v', module], {
        cwd: join(PACKAGE, 'tests'),
        env: { PYTHONPATH: target, VIGIL_SDK_INSTALLED: '1', PYTHONDONTWRITEBYTECODE: '1' },
      });
      expect(code, output).toBe(0);
      const ran = Number(/^Ran (\d+) tests? in/m.exec(output)?.[1] ?? 0);
      expect(ran, output).toBeGreaterThan(0);
      expect(output).toMatch(/^OK\b/m);
      expect(output).not.toMatch(/skipped/);
    });
  }
});
