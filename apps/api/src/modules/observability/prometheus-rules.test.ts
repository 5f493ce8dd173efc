import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const RULES = resolve(import.meta.dirname, '../../../../../infra/prometheus/rules');

/** The shipped alerting rules on Vigil's own health pass `promtool` (Debian's prometheus package; .ci/run installs it). */
describe('infra/prometheus rules', () => {
  it('are valid and pass their own rule tests', () => {
    const check = execFileSync('promtool', ['check', 'rules', 'vigil.rules.yml'], { cwd: RULES, encoding: 'utf8' });
    expect(check).toMatch(/SUCCESS: 6 rules found/);
    const test = execFileSync('promtool', ['test', 'rules', 'vigil.rules.test.yml'], { cwd: RULES, encoding: 'utf8' });
    expect(test).toMatch(/SUCCESS/);
  });
});
