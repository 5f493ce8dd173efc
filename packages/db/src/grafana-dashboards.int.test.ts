import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBiLogin } from './bi-logins.js';
import { connectAs, createTestDb, createTestTenant, dropBiLogins, seedBiWorkspace } from './testing/index.js';

/**
 * Every SQL panel and SQL template variable of every shipped Grafana dashboard, with Grafana's
 * macros and template variables substituted the way Grafana does (variables in the front end,
 * then the PostgreSQL data source's macros), runs as a workspace BI login against seeded data and
 * returns rows. The dashboards are read from infra/grafana/dashboards, so a new panel is covered
 * without touching this file.
 */

const DIR = resolve(import.meta.dirname, '../../../infra/grafana/dashboards');
const BI_UID = 'vigil-bi';

interface Target {
  rawSql?: string;
  datasource?: { uid?: string };
}
interface Panel {
  title: string;
  type: string;
  datasource?: { uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Variable {
  name: string;
  type: string;
  query: string | { query?: string };
  datasource?: { uid?: string };
}
interface Dashboard {
  title: string;
  templating: { list: Variable[] };
  panels: Panel[];
}

const dashboards = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, json: JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Dashboard }));

const flatten = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...flatten(p.panels ?? [])]);
const isBi = (ds?: { uid?: string }) => ds?.uid === BI_UID;

/** [dashboard file, panel title, SQL] of every SQL target of every panel on the BI data source. */
const sqlPanels = dashboards.flatMap(({ file, json }) =>
  flatten(json.panels).flatMap((p) =>
    (p.targets ?? []).filter((t) => isBi(t.datasource ?? p.datasource)).map((t) => [file, p.title, t.rawSql ?? ''] as const),
  ),
);

const TO = new Date();
const FROM = new Date(TO.getTime() - 3 * 86_400_000);
const INTERVAL = '1h';

function seconds(interval: string): number {
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(interval.trim().replace(/^'|'$/g, ''));
  if (!m) throw new Error(`interval "${interval}" not understood`);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd' | 'w'];
  return Number(m[1]) * unit;
}

/** Grafana's front end: template variables ($name, ${name}, [[name]]) and $__interval. */
function interpolate(sql: string, vars: Record<string, string>): string {
  const all: Record<string, string> = { __interval: INTERVAL, __interval_ms: String(seconds(INTERVAL) * 1000), ...vars };
  return sql.replace(/\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)/g, (whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c!;
    if (name.startsWith('__') && !(name in all)) return whole; // a macro, expanded next
    if (!(name in all)) throw new Error(`template variable $${name} is not defined by the dashboard`);
    return all[name]!;
  });
}

/** The PostgreSQL data source's macros (grafana/pkg/tsdb/grafana-postgresql-datasource/macros.go). */
function expandMacros(sql: string): string {
  const from = `'${FROM.toISOString()}'`;
  const to = `'${TO.toISOString()}'`;
  return sql.replace(/\$__(\w+)\(([^()]*)\)/g, (whole, macro: string, argText: string) => {
    const args = argText.split(',').map((a) => a.trim());
    switch (macro) {
      case 'timeFilter':
        return `${args[0]} BETWEEN ${from} AND ${to}`;
      case 'timeFrom':
        return from;
      case 'timeTo':
        return to;
      case 'timeGroup':
      case 'timeGroupAlias': {
        const s = seconds(args[1]!);
        const group = `floor(extract(epoch from ${args[0]})/${s})*${s}`;
        return macro === 'timeGroupAlias' ? `${group} AS "time"` : group;
      }
      case 'unixEpochFilter':
        return `${args[0]} >= ${Math.floor(FROM.getTime() / 1000)} AND ${args[0]} <= ${Math.floor(TO.getTime() / 1000)}`;
      default:
        throw new Error(`Grafana macro ${whole} is not handled by this test`);
    }
  });
}

const render = (sql: string, vars: Record<string, string>) => expandMacros(interpolate(sql, vars));

const db = createTestDb();
let client: pg.Client;
let orgId: string | undefined;
/** Per dashboard file: its variables' values, each the first option Grafana would pick. */
const values = new Map<string, Record<string, string>>();

beforeAll(async () => {
  const t = await createTestTenant(db);
  orgId = t.organizationId;
  await seedBiWorkspace(db, t, { models: 2, hours: 72 });
  const login = await issueBiLogin(db.pool, { organizationId: t.organizationId });
  client = await connectAs(login.user, login.password);
  for (const { file, json } of dashboards) {
    const vars: Record<string, string> = {};
    for (const v of json.templating.list) {
      const query = typeof v.query === 'string' ? v.query : (v.query.query ?? '');
      if (v.type === 'custom') vars[v.name] = query.split(',')[0]!.trim();
      else if (v.type === 'query' && isBi(v.datasource)) {
        const { rows } = await client.query({ text: render(query, vars), rowMode: 'array' });
        expect(rows.length, `${file}: variable $${v.name} has options`).toBeGreaterThan(0);
        vars[v.name] = String((rows[0] as unknown[])[0]);
      } else throw new Error(`${file}: variable $${v.name} of type ${v.type} is not handled by this test`);
    }
    values.set(file, vars);
  }
}, 60_000);

afterAll(async () => {
  await client?.end();
  if (orgId) await dropBiLogins(db, [orgId]);
  await db.close();
});

describe('shipped Grafana dashboards', () => {
  it('have SQL panels to check, each with a query', () => {
    expect(dashboards.map((d) => d.file)).toEqual(expect.arrayContaining(['model.json', 'workspace-overview.json']));
    expect(sqlPanels.length).toBeGreaterThanOrEqual(15);
    for (const [file, title, sql] of sqlPanels) expect(sql.trim(), `${file}: ${title}`).not.toBe('');
  });

  it.each(sqlPanels)('%s: "%s" reads only bi.* and returns rows as a BI login', async (file, _title, sql) => {
    const relations = [...sql.matchAll(/\b(?:FROM|JOIN)\s+(?!\(|LATERAL\b)([\w."]+)/gi)].map((m) => m[1]!);
    expect(relations.length).toBeGreaterThan(0);
    for (const r of relations) expect(r).toMatch(/^bi\./);
    const { rows } = await client.query(render(sql, values.get(file)!));
    expect(rows.length).toBeGreaterThan(0);
  });
});
