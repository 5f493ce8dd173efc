import fc from 'fast-check';

/*
 * Generators of malformed inputs for the fuzz tests of the REST API and the web app's
 * procedures (exported through `@vigil/api/testing`): valid requests with values deep inside
 * them replaced, removed or added.
 */

/** Values that are wrong somewhere: any JSON, odd strings, huge and fractional numbers, nesting. */
export const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('\u0000', '\ud800', '', ' ', '__proto__', 'constructor', '1e999', '(', '.*', 'x'.repeat(5_000)),
  fc.double(),
  fc.integer(),
  fc.constantFrom(-1, 0, 1e308, 2 ** 53, 0.5, Number.MAX_SAFE_INTEGER),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
);

/** Every path to a value inside `v` (objects and arrays), including the root's members. */
export function pathsOf(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  return entries.flatMap(([k, x]) => [[...prefix, k], ...pathsOf(x, [...prefix, k])]);
}

/** `base` with up to three changes: a value set to something nasty, a member deleted, or a member added. */
export const corrupted = (bases: Record<string, unknown>[]) =>
  fc
    .record({
      base: fc.constantFrom(...bases),
      changes: fc.array(fc.record({ at: fc.nat(), op: fc.constantFrom('set', 'delete', 'add'), value: nasty, key: fc.string({ maxLength: 6 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
    })
    .map(({ base, changes }) => {
      const body = structuredClone(base) as Record<string, unknown>;
      for (const c of changes) {
        const paths = pathsOf(body);
        if (paths.length === 0) break;
        const path = paths[c.at % paths.length]!;
        const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], body) as Record<string | number, unknown>;
        const last = path[path.length - 1]!;
        if (c.op === 'set') parent[last] = c.value;
        else if (c.op === 'delete') {
          if (Array.isArray(parent)) parent.splice(Number(last), 1);
          else delete parent[last];
        } else if (!Array.isArray(parent)) parent[c.key] = c.value;
      }
      return body;
    });

