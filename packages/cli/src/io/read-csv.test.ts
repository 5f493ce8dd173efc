import { describe, expect, it } from 'vitest';
import { readCsv } from './read-csv.js';

async function* chunks(parts: Buffer[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield p;
}

const read = (parts: Buffer[], size: number | null = null): ReturnType<typeof readCsv> =>
  readCsv(chunks(parts), 't.csv', { modes: new Map(), progress: null }, () => undefined, size);

describe('readCsv', () => {
  it('reads ASCII chunks fast and joins a UTF-8 character split across chunks, after a BOM', async () => {
    const text = Buffer.from('\uFEFFcity,x\nParis,1\nK\u00f6ln,2\nM\u00fcnchen,3\n', 'utf8');
    const at = text.indexOf(0xc3); // the first byte of 'ö'
    for (const parts of [[text], [text.subarray(0, at), text.subarray(at, at + 1), text.subarray(at + 1)], [text.subarray(0, 2), text.subarray(2)]]) {
      const { table, rows } = await read(parts, text.length);
      expect(rows).toBe(3);
      expect(table.city).toEqual({ codes: Int32Array.of(0, 1, 2), categories: ['Paris', 'K\u00f6ln', 'M\u00fcnchen'] });
      expect(table.x).toEqual(Float64Array.of(1, 2, 3));
    }
  });

  it('sizes the columns from the first chunk and still grows past a low estimate', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},${i % 7 ? 'a' : 'b'}\n`).join('');
    const text = Buffer.from(`n,c\n${rows}`);
    // A size hint far too small: the columns must still grow to hold every row.
    const { table } = await read([text.subarray(0, 100), text.subarray(100)], 150);
    expect((table.n as Float64Array).length).toBe(5000);
    expect((table.n as Float64Array)[4999]).toBe(4999);
  });

  it('gives the same table wherever the bytes are cut: LF, CRLF and CR line ends, quoted line breaks, UTF-8', async () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const lines = ['city,note,x', 'K\u00f6ln,"a, b",1', `Paris,"two${eol}lines",2`, '', 'M\u00fcnchen,,3.5', 'Ume\u00e5,"""q""",NA'];
      const text = Buffer.from(lines.join(eol) + eol, 'utf8');
      const whole = await read([text]);
      expect(whole.rows).toBe(4);
      expect(whole.table.note).toEqual({ codes: Int32Array.of(0, 1, -1, 2), categories: ['a, b', `two${eol}lines`, '"q"'] });
      for (let at = 1; at < text.length; at++) expect(await read([text.subarray(0, at), text.subarray(at)])).toEqual(whole);
      expect(await read(Array.from(text, (b) => Buffer.of(b)))).toEqual(whole);
    }
  });
});
