import { Readable } from 'node:stream';
import { ReferenceLimits, VigilError } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import { castCell, csvRows } from './row-streams.js';

async function rowsOf(csv: string) {
  const out = [];
  for await (const row of csvRows(Readable.from([csv]))) out.push(row);
  return out;
}

describe('CSV reference rows', () => {
  it('reads numbers, booleans, empty cells and text as before', async () => {
    expect(await rowsOf('a,b,c,d,e\n1.5,-2e3,.5,true,\n7.,x1,1e,False,+3\n')).toEqual([
      { a: 1.5, b: -2000, c: 0.5, d: true, e: null },
      { a: 7, b: 'x1', c: '1e', d: false, e: 3 },
    ]);
  });

  it('decides a long digit run followed by a letter in linear time', () => {
    // The pattern this replaced backtracked over every split of the run, growing with the square
    // of the length (a 200 KB cell: over 20 s).
    for (const length of [400, 50_000]) {
      const cell = `${'9'.repeat(length - 1)}x`;
      const started = performance.now();
      expect(castCell(cell)).toBe(cell);
      expect(performance.now() - started).toBeLessThan(50);
    }
  });

  it('refuses a cell longer than the limit at once, naming its row and column', async () => {
    const started = performance.now();
    const err = await rowsOf(`id,amount\n1,2\n2,${'1'.repeat(200_000)}x\n`).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(err).toBeInstanceOf(VigilError);
    expect((err as VigilError).code).toBe('BAD_REQUEST');
    expect((err as VigilError).message).toBe(`row 2, column "amount": a value is longer than ${ReferenceLimits.maxCellChars} characters`);
  });
});
