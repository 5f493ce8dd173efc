// Where worker threads start to pay for `vigil report`: each size end to end with
// VIGIL_CLI_THREADS=never (read and compute on the main thread) and =always (one worker per
// file, then one per core for the columns), median of --runs, on the 25-column CSV frames.
// Usage: node bench/cli/crossover.mjs [--sizes 1000,3000,10000,30000,100000] [--runs 3] [--format csv]
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BIN, frames, median, OUT, timed } from './support.mjs';

const { values: args } = parseArgs({
  options: { sizes: { type: 'string', default: '1000,3000,10000,30000,100000' }, runs: { type: 'string', default: '3' }, format: { type: 'string', default: 'csv' } },
});
const rows = [];
for (const n of args.sizes.split(',').map(Number)) {
  const files = await frames(n);
  const argv = [BIN, 'report', '--reference', files.reference[args.format], '--current', files.current[args.format], '--json', join(OUT, 'x.json'), '--html', join(OUT, 'x.html')];
  const row = { rows: n, mb_both: +((statSync(files.reference[args.format]).size + statSync(files.current[args.format]).size) / 2 ** 20).toFixed(1), cells_both: n * 25 * 2 };
  const ms = { never: [], always: [], auto: [] };
  // Policies alternate within each round, so a noisy moment does not favour one of them.
  for (let r = 0; r < Number(args.runs); r++) for (const policy of Object.keys(ms)) ms[policy].push((await timed(argv, { VIGIL_CLI_THREADS: policy })).ms);
  for (const [policy, xs] of Object.entries(ms)) row[`${policy}_s`] = +(median(xs) / 1000).toFixed(3);
  rows.push(row);
  console.log(JSON.stringify(row));
}
