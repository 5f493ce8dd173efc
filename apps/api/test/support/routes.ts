import type { RunningApi } from '../../src/testing.js';

/** The routes the running API serves, as "METHOD /path" (HEAD left out), read from Fastify's route tree. */
export async function servedRoutes(api: RunningApi): Promise<string[]> {
  const fastify = api.app.getHttpAdapter().getInstance();
  await fastify.ready();
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of fastify.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ├└─]*)(\S.*?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!m || !m[2]) continue;
    const depth = [...m[1]!].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD')) out.push(`${method} ${stack.join('')}`);
  }
  return out.sort();
}
