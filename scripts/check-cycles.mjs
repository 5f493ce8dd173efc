#!/usr/bin/env node
// Fails when source files import each other in a cycle (part of `pnpm lint`). Type-only imports
// do not count: they vanish at build time. Package-level cycles are refused by turbo; this looks
// inside each package (its src/ and tests) with madge.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import madge from 'madge';
import { ROOT } from './lib.mjs';

const packages = ['apps', 'packages', 'tooling'].flatMap((group) =>
  readdirSync(join(ROOT, group))
    .map((name) => join(ROOT, group, name))
    .filter((dir) => existsSync(join(dir, 'src'))),
);

let files = 0;
const problems = [];
for (const dir of packages) {
  const tsConfig = join(dir, 'tsconfig.json');
  const paths = existsSync(tsConfig) ? JSON.parse(readFileSync(tsConfig, 'utf8')).compilerOptions?.paths : undefined;
  const result = await madge(['src', 'test', 'e2e'].map((d) => join(dir, d)).filter(existsSync), {
    baseDir: dir,
    fileExtensions: ['ts', 'tsx'],
    excludeRegExp: [/node_modules/, /\/dist\//, /\/generated\//, /\.d\.ts$/, /\/\.next\//],
    // A package's own path aliases (the web app's `~/`), relative to its directory.
    ...(paths ? { tsConfig: { compilerOptions: { baseUrl: dir, paths, module: 'esnext', moduleResolution: 'bundler', jsx: 'react-jsx' } } } : {}),
    detectiveOptions: { ts: { skipTypeImports: true }, tsx: { skipTypeImports: true } },
  });
  files += Object.keys(result.obj()).length;
  // A relative import madge cannot resolve would hide its edges: refuse to pass on a graph that is not whole.
  const unresolved = result.warnings().skipped.filter((s) => s.startsWith('.') || s.startsWith('~'));
  if (unresolved.length > 0) problems.push(`${dir}: imports not resolved: ${unresolved.join(', ')}`);
  for (const cycle of result.circular()) problems.push(`${dir}: import cycle ${[...cycle, cycle[0]].join(' → ')}`);
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`no import cycle among ${files} source files of ${packages.length} packages`);
