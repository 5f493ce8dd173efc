import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { CliError } from '../cli-error.js';
import { ColumnBuilder } from './column-builder.js';
import { CsvScanner } from './csv-scanner.js';
import { finish, type ReadOptions, type ReadResult } from './read-result.js';

const LF = 10;
const CR = 13;
/** A line longer than this goes to the scanner in parts (it joins them itself). */
const MAX_PENDING_BYTES = 16 << 20;

/**
 * Streams a CSV file with a header row into typed columns. `size` (the file's bytes, or null
 * when it is compressed) sizes the columns after the first chunk, so they rarely regrow.
 * @throws CliError on malformed content.
 */
export async function readCsv(stream: AsyncIterable<Buffer>, path: string, options: ReadOptions, track: (rows: number) => void, size: number | null): Promise<ReadResult> {
  const state: { columns: ColumnBuilder[] | null; rows: number } = { columns: null, rows: 0 };
  const scanner = new CsvScanner(path, (record) => {
    const columns = state.columns;
    if (columns === null) {
      const seen = new Set<string>();
      for (const name of record) {
        if (seen.has(name)) throw new CliError(`${path}: column '${name}' appears twice in the header`);
        seen.add(name);
      }
      state.columns = record.map((name) => new ColumnBuilder(name, options.modes.get(name) ?? 'infer'));
      return;
    }
    const row = ++state.rows;
    if (record.length !== columns.length) {
      throw new CliError(`${path}: row ${row} has ${record.length} fields but the header has ${columns.length} columns`);
    }
    for (let i = 0; i < columns.length; i++) columns[i]!.push(record[i], row);
    if ((row & 4095) === 0) track(row);
  });
  const decoder = new StringDecoder('utf8');
  // An all-ASCII chunk (most data files) reads as Latin-1: the same text, one byte per character,
  // several times faster to decode; the decoder is used from the first non-ASCII byte on, so a
  // character split across chunks is still joined.
  let utf8 = false;
  let sized = false;
  const scan = (bytes: Buffer) => {
    utf8 ||= !isAscii(bytes);
    scanner.push(utf8 ? decoder.write(bytes) : bytes.toString('latin1'));
    if (!sized && size !== null && bytes.length > 0 && state.columns !== null && state.rows > 0) {
      sized = true;
      const estimate = Math.ceil((size / bytes.length) * state.rows * 1.02) + 16;
      for (const c of state.columns) c.reserve(estimate);
    }
  };
  // The scanner gets whole lines: the bytes after a chunk's last line end wait for the next
  // chunk, and the line they begin goes to the scanner on its own. Its text is then one flat
  // string, never the previous chunk's rest joined to the next chunk (V8 searches such a joined
  // string 2-3× slower: it was a third of the scanner's time), and no chunk is copied.
  let pending: Buffer | null = null;
  let first = true;
  try {
    for await (let chunk of stream) {
      // A UTF-8 byte-order mark would send the whole file through the decoder.
      if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      first = false;
      if (pending !== null) {
        const end = firstLineEnd(chunk);
        if (end === 0 && pending.length + chunk.length < MAX_PENDING_BYTES) {
          pending = Buffer.concat([pending, chunk]);
          continue;
        }
        scan(Buffer.concat([pending, chunk.subarray(0, end)]));
        pending = null;
        chunk = chunk.subarray(end);
      }
      const end = lastLineEnd(chunk);
      // No line end: the line waits for one, unless it is already long (the scanner joins it).
      if (end === 0 && chunk.length < MAX_PENDING_BYTES) {
        if (chunk.length > 0) pending = chunk;
        continue;
      }
      if (end === 0 || end === chunk.length) {
        scan(chunk);
      } else {
        scan(chunk.subarray(0, end));
        pending = chunk.subarray(end);
      }
    }
    if (pending !== null) scan(pending);
    scanner.push(decoder.end());
    scanner.end();
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (state.columns === null) throw new CliError(`${path} is empty (a CSV file needs a header row)`);
  return finish(state.columns, state.rows);
}

/** Where the text up to the first line end stops: after its LF, else after its CR (0: neither). */
function firstLineEnd(bytes: Buffer): number {
  const lf = bytes.indexOf(LF);
  return lf !== -1 ? lf + 1 : bytes.indexOf(CR) + 1;
}

/** Where the text up to the last line end stops: after the last LF, else the last CR (0: neither). */
function lastLineEnd(bytes: Buffer): number {
  const lf = bytes.lastIndexOf(LF);
  return lf !== -1 ? lf + 1 : bytes.lastIndexOf(CR) + 1;
}
