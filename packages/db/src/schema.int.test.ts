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

  it('partitions raw events by day, with partitions from 90 days back to 3 days ahead', async () => {
    const { rows } = await db.pool.query<{ parent: string; n: number }>(
      `SELECT p.relname AS parent, count(*)::int AS n FROM pg_inherits i
       JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname IN ('prediction_event','label_event')
       GROUP BY p.relname`,
    );
    for (const r of rows) expect(r.n).toBeGreaterThanOrEqual(94);
    expect(rows.map((r) => r.parent).sort()).toEqual(['label_event', 'prediction_event']);
  });

  it('serves the BI views', async () => {
    for (const view of ['vigil_models', 'vigil_metrics', 'vigil_alerts']) {
      const { rowCount } = await db.pool.query(`SELECT * FROM ${view} LIMIT 0`);
      expect(rowCount).toBe(0);
    }
  });
});
