import { execFileSync } from 'node:child_process';

/**
 * `promtool check metrics` on a Prometheus exposition (Debian's prometheus package; .ci/run
 * installs it): its findings, '' when it has none. A failing check throws with them.
 */
export function promtoolCheck(exposition: string): string {
  return execFileSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}
