import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb } from './testing/index.js';

/** Reads table and column names out of schema.prisma (scalar fields only; relations skipped). */
async function prismaTables(): Promise<Map<string, Set<string>>> {
  const text = await readFile(resolve(import.meta.dirname, '../../../prisma/schema.prisma'), 'utf8');
  const models = [...text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)];
  const modelNames = new Set(models.map((m) => m[1]));
  const tables = new Map<string, Set<string>>();
  for (const [, name, body] of models) {
    const table = /@@map\("(\w+)"\)/.exec(body!)?.[1] ?? name!;
    const cols = new Set<string>();
    for (const line of body!.split('\n')) {
      const m = /^\s+(\w+)\s+(\w+)(\[\])?\??/.exec(line);
      if (!m || line.trim().startsWith('//') || line.trim().startsWith('@@')) continue;
      const [, field, type] = m;
      if (modelNames.has(type!)) continue; // relation field
      cols.add(/@map\("(\w+)"\)/.exec(line)?.[1] ?? field!);
    }
    tables.set(table, cols);
  }
  return tables;
}

const db = createTestDb();
afterAll(() => db.close());

describe('schema.prisma and the SQL migrations', () => {
  it('agree on every table and column', async () => {
    const expected = await prismaTables();
    expect(expected.size).toBeGreaterThan(25);
    const { rows } = await db.pool.query<{ table_name: string; column_name: string }>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN pg_class k ON k.relname = c.table_name
       WHERE c.table_schema = 'public' AND NOT k.relispartition`,
    );
    const actual = new Map<string, Set<string>>();
    for (const r of rows) {
      if (!actual.has(r.table_name)) actual.set(r.table_name, new Set());
      actual.get(r.table_name)!.add(r.column_name);
    }
    for (const [table, cols] of expected) {
      expect(actual.has(table), `table ${table} exists`).toBe(true);
      expect([...actual.get(table)!].sort(), `columns of ${table}`).toEqual([...cols].sort());
    }
  });

  it('partitions prediction batches by day and has the partitions around today', async () => {
    const { rows } = await db.pool.query<{ parent: string; strategy: string }>(
      `SELECT c.relname AS parent, p.partstrat AS strategy FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid ORDER BY 1`,
    );
    expect(rows).toEqual([{ parent: 'prediction_batch', strategy: 'r' }]);
    for (let d = -3; d <= 3; d++) {
      const day = new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
      const { rows: r } = await db.pool.query(`SELECT to_regclass($1) AS t`, [`prediction_batch_${day}`]);
      expect(r[0].t).toBe(`prediction_batch_${day}`);
    }
  });

  it('serves the BI views', async () => {
    for (const view of ['vigil_models', 'vigil_metrics', 'vigil_alerts', 'vigil_prediction_events']) {
      const { rowCount } = await db.pool.query(`SELECT * FROM ${view} LIMIT 0`);
      expect(rowCount).toBe(0);
    }
  });
});
