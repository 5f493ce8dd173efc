// Bundles the `vigil` binary and its two worker scripts with their dependencies (the metrics
// package, the @stdlib functions, the Parquet reader) into dist/, so start-up reads a few files
// instead of resolving hundreds of modules. The report code is split into a chunk loaded only by
// `vigil report`; `--help` and `--version` load bin.js alone. tsc still emits the library
// (dist/index.js and its .d.ts) beside it.
import { readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
for (const f of await readdir(dist).catch(() => [])) if (/^chunk-.*\.js$/.test(f)) await rm(join(dist, f));
const metricsNode = dirname(fileURLToPath(import.meta.resolve('@vigil/metrics/node')));

await build({
  entryPoints: {
    bin: join(here, 'src/bin.ts'),
    // Resolved from the file that starts them (new URL('./x.js', import.meta.url)), so every
    // output file sits flat in dist/.
    'read-worker': join(here, 'src/io/read-worker.ts'),
    'report-worker': join(metricsNode, 'report-worker.js'),
  },
  outdir: dist,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS dependencies that require() Node's own modules need a require in ES module scope.
  banner: { js: "import { createRequire as __vigilCreateRequire } from 'node:module'; const require = __vigilCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
