import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerStages, read, ROOT } from './support.js';

const stages = dockerStages();
const stage = (name: string) => stages.find((s) => s.name === name)!;
/** A stage's instructions with those of the stages it is built FROM (within this file). */
function chain(name: string): string[] {
  const s = stage(name);
  const parent = stages.find((p) => p.name === s.from);
  return [...(parent ? chain(parent.name) : []), ...s.lines];
}

const APPS = { api: { main: 'apps/api/src/main.ts', cmd: 'dist/main.js' }, worker: { main: 'apps/worker/src/main.ts', cmd: 'dist/main.js' }, web: { main: 'apps/web/server.mjs', cmd: 'server.mjs' } };

describe('Dockerfile', () => {
  it.each(Object.entries(APPS))('ends the %s image in a fresh slim Node stage: non-root, health-checked, no build tooling', (app, { main, cmd }) => {
    const final = stage(app);
    expect(final, app).toBeDefined();
    const runtime = stage(final.from);
    expect(runtime.from).toMatch(/^node:\$\{NODE_VERSION\}-bookworm-slim$/);
    const lines = chain(app);
    expect(lines).toContain('USER node');
    expect(lines.some((l) => l.startsWith('HEALTHCHECK') && l.includes('/healthz'))).toBe(true);
    expect(lines.find((l) => l.startsWith('CMD'))).toContain(cmd);
    expect(existsSync(join(ROOT, main)), main).toBe(true);
    // What the image receives: only the pruned tree of this app, owned by the runtime user.
    const copies = lines.filter((l) => l.startsWith('COPY'));
    expect(copies).toEqual([`COPY --from=pruned-${app} --chown=node:node /src /app`]);
    expect(lines.join('\n')).not.toMatch(/pnpm|npm install|apt-get/);
  });

  it.each(Object.keys(APPS))('prunes the %s tree to production dependencies, without tests or other apps', (app) => {
    const pruned = stage(`pruned-${app}`).lines.join('\n');
    expect(pruned).toContain(`pnpm install --prod --frozen-lockfile --offline --filter "@vigil/${app}..."`);
    expect(pruned).toMatch(/-name '\*\.test\.\*'/);
    for (const other of Object.keys(APPS).filter((a) => a !== app)) expect(pruned).toContain(`apps/${other}`);
  });

  it('installs from the lockfile with the pinned pnpm and builds once', () => {
    const build = stage('build').lines.join('\n');
    expect(build).toContain(`npm install -g pnpm@${JSON.parse(read('package.json')).packageManager.split('@')[1]}`);
    expect(build).toContain('pnpm fetch --frozen-lockfile');
    expect(build).toContain('pnpm install --frozen-lockfile --offline && pnpm build');
  });

  it('keeps local builds, modules and artifacts out of the build context', () => {
    const ignore = read('.dockerignore');
    for (const entry of ['.git', '**/node_modules', '**/dist', 'apps/web/.next', 'test-artifacts']) expect(ignore).toContain(entry);
  });
});
