// CSV parsing alone, one thread, on the 100k-row frame (bench/cli/run.mjs makes it): the CLI's
// scanner against csv-parse (the parser it replaced), both reading the same file from disk
// into records. Usage: node bench/cli/parse.mjs [rows]
import { createReadStream, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');
const cli = join(ROOT, 'packages/cli');
const { parse } = await import(pathToFileURL(createRequire(join(cli, 'package.json')).resolve('csv-parse')).href);
const { CsvScanner } = await import(pathToFileURL(join(cli, 'dist/io/csv-scanner.js')).href);
const file = join(ROOT, `bench/out/cli/reference-${process.argv[2] ?? 100000}.csv`);
const mb = statSync(file).size / 1e6;

async function scanner() {
  let n = 0;
  const s = new CsvScanner(file, () => n++);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) s.push(chunk.toString('latin1'));
  s.end();
  return n;
}
async function csvParse() {
  let n = 0;
  for await (const _ of createReadStream(file).pipe(parse({ bom: true, skip_empty_lines: true }))) n++;
  return n;
}
for (const [name, f] of [['scanner', scanner], ['csv-parse', csvParse], ['scanner', scanner], ['csv-parse', csvParse]]) {
  const t0 = performance.now();
  const records = await f();
  const s = (performance.now() - t0) / 1000;
  console.log(`${name}: ${records} records, ${s.toFixed(2)} s, ${(mb / s).toFixed(0)} MB/s`);
}
