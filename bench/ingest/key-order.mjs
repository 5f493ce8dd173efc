#!/usr/bin/env node
// What the order of prediction ids costs Postgres (DESIGN.md §10). Every stored event has one
// row in prediction_key, whose primary key (project, client id) makes an id count once. This
// fills two copies of that table with `--rows` keys — one with random UUIDv4 ids, one with
// time-ordered UUIDv7-style ids (as the SDK makes) — then, after a CHECKPOINT, inserts
// `--insert` more keys into each in statements of 100 (as ingest does) and reports the WAL
// written per key and the index size. Right after a checkpoint, the first change to each page
// writes a full 8 KB image of it: random ids touch a different leaf page with nearly every
// insert, time-ordered ids keep appending to the same few.
//
//   node bench/ingest/key-order.mjs [--rows 2000000] [--insert 300000]
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freshDatabase, walSince } from '../support.mjs';

const { values: args } = parseArgs({
  options: { rows: { type: 'string', default: '2000000' }, insert: { type: 'string', default: '300000' } },
});
const DB_URL = 'postgresql://postgres@127.0.0.1:5432/vigil_bench_keys';
const rows = Number(args.rows);
const insert = Number(args.insert);

// Ids as SQL expressions of g (a counter that grows with time): v7 puts 48 bits of milliseconds
// first, v4 is random throughout.
const ID = {
  v4: () => 'gen_random_uuid()::text',
  v7: (base) => `lpad(to_hex(${base}::bigint + g), 12, '0') || substr(gen_random_uuid()::text, 13)`,
};

await freshDatabase(DB_URL);
const client = new pg.Client({ connectionString: DB_URL });
await client.connect();
const results = {};
try {
  for (const kind of ['v4', 'v7']) {
    const table = `key_${kind}`;
    await client.query(`CREATE TABLE ${table} (
      project_id text COLLATE "C" NOT NULL, client_id text COLLATE "C" NOT NULL,
      model_version_id text NOT NULL, event_time timestamptz(3) NOT NULL,
      PRIMARY KEY (project_id, client_id))`);
    const values = (base, count) =>
      `SELECT 'cmproject00000000000000001', ${ID[kind](base)}, 'cmversion00000000000000001', now() FROM generate_series(1, ${count}) g`;
    await client.query(`INSERT INTO ${table} ${values(1_700_000_000_000, rows)}`);
    await client.query('CHECKPOINT');
    const before = await walSince(client);
    const started = performance.now();
    for (let done = 0; done < insert; done += 100) {
      await client.query(`INSERT INTO ${table} ${values(1_800_000_000_000 + done, Math.min(100, insert - done))}`);
    }
    const seconds = (performance.now() - started) / 1000;
    const wal = (await walSince(client, before.lsn)).bytes;
    const size = (await client.query(`SELECT pg_relation_size('${table}_pkey')::float8 AS b`)).rows[0].b;
    results[kind] = {
      walBytesPerKey: Math.round(wal / insert),
      keysPerSecond: Math.round(insert / seconds),
      indexMB: Math.round(size / 2 ** 20),
    };
    await client.query(`DROP TABLE ${table}`);
  }
} finally {
  await client.end();
}
console.log(
  JSON.stringify(
    {
      date: new Date().toISOString(),
      keysStored: rows,
      keysInsertedAfterCheckpoint: insert,
      results,
      walRatioV4ToV7: Math.round((results.v4.walBytesPerKey / results.v7.walBytesPerKey) * 100) / 100,
    },
    null,
    2,
  ),
);
