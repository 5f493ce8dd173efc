import { randomBytes } from 'node:crypto';
import {
  findApiKeyByHash,
  getReferenceDataset,
  hashApiKey,
  labelsForPredictions,
  listAlertRules,
  listModelColumns,
  listProjectModels,
  listTeams,
  predictionsInWindow,
  type Db,
} from '@vigil/db';
import { createTestDb } from '@vigil/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MODELS, historyHour, historyHours, REFERENCE_ROWS } from './generate.js';
import { DEMO_DRIFT } from './models/model.js';
import { seedDemo, type SeedResult } from './seed.js';
import { HOUR_MS } from './story.js';

const SCALE = 0.01;

let db: Db;
beforeAll(() => {
  db = createTestDb();
});
afterAll(async () => {
  await db.close();
});

async function storedEvents(organizationId: string, versionId: string, from: number, to: number): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of predictionsInWindow(db.pool, organizationId, versionId, from, to)) for (const e of page) ids.push(e.id);
  return ids;
}

describe('seedDemo', () => {
  const tag = randomBytes(4).toString('hex');
  const opts = { workspace: `Demo ${tag}`, email: `demo-${tag}@example.test`, scale: SCALE };
  let first: SeedResult;

  beforeAll(async () => {
    first = await seedDemo(db, opts);
  });

  it('writes two teams, three projects with a working key each, and three models of the story', async () => {
    const t = db.forTenant(first.organizationId);
    expect(first.created).toBe(true);
    expect((await listTeams(t)).map((x) => x.name).sort()).toEqual(['Growth', 'Risk ML']);
    expect(Object.values(first.projects).map((p) => p.name).sort()).toEqual(['Customer Support', 'Fraud Detection', 'Logistics']);
    const keys = first.credentials.apiKeys!;
    expect(Object.keys(keys).sort()).toEqual(Object.keys(first.projects).sort());
    expect(keys['fraud-detection']).toBe(first.credentials.apiKey);
    for (const [slug, secret] of Object.entries(keys)) {
      const key = await findApiKeyByHash(db.pool, hashApiKey(secret));
      expect(key, slug).toMatchObject({ projectId: first.projects[slug]!.id, revoked: false });
      expect(key!.scopes).toEqual(expect.arrayContaining(['ingest', 'read']));
    }
    expect(first.credentials.email).toBe(opts.email);
    expect(Date.parse(first.credentials.seededAt!)).toBe(first.story.anchor);

    for (const m of DEMO_MODELS) {
      const seeded = first.models[m.slug]!;
      const project = Object.values(first.projects).find((p) => p.name === m.project)!;
      expect(project.teamId).toBe(first.teams[m.team]);
      const [model] = (await listProjectModels(t, project.id)).filter((x) => x.slug === m.slug);
      expect(model).toMatchObject({ id: seeded.id, name: m.name, task: m.task, segmentTags: [m.segmentTag], driftConfig: DEMO_DRIFT });
      expect(model!.versions.map((v) => v.id)).toEqual([seeded.versionId]);
      // Columns as ingest registers them, plus the label the reference upload brings.
      const columns = (await listModelColumns(t, seeded.id)).map((c) => `${c.role}:${c.name}:${c.kind}`);
      expect(columns.sort()).toEqual([...m.columns.map((c) => `${c.role}:${c.name}:${c.kind}`), `label:label:${m.task === 'multiclass' ? 'categorical' : 'numerical'}`].sort());
      const reference = await getReferenceDataset(t, seeded.referenceDatasetId);
      expect(reference).toMatchObject({ status: 'ready', source: 'upload', rows: REFERENCE_ROWS, modelId: seeded.id });
    }
  });

  it('writes each model’s 30 days of events and the labels that arrived before the anchor', async () => {
    const story = first.story;
    for (const m of DEMO_MODELS) {
      const seeded = first.models[m.slug]!;
      const expected = historyHours(story).flatMap((h) => historyHour(m, h, story, SCALE));
      const dueLabels = expected.filter((e) => e.label && e.label.time <= story.anchor);
      expect(seeded).toMatchObject({ created: true, events: expected.length, labels: dueLabels.length });
      const ids = await storedEvents(first.organizationId, seeded.versionId, story.historyStart, story.anchor + HOUR_MS);
      expect(ids.length).toBe(expected.length);
      expect(new Set(ids)).toEqual(new Set(expected.map((e) => e.id)));
      const labels = await labelsForPredictions(db.pool, { organizationId: first.organizationId, projectId: seeded.projectId }, seeded.versionId, story.historyStart, story.anchor + HOUR_MS, ids);
      expect(labels.size).toBe(dueLabels.length);
      // Not one label from the future: the newest predictions are still waiting for theirs.
      expect([...labels.values()].every((l) => l.time <= story.anchor)).toBe(true);
      expect(dueLabels.length).toBeLessThan(expected.filter((e) => e.label).length);
    }
  });

  it('writes the story’s alert rules, one set per team', async () => {
    const t = db.forTenant(first.organizationId);
    const risk = await listAlertRules(t, [first.teams['Risk ML']!]);
    const growth = await listAlertRules(t, [first.teams.Growth!]);
    expect(risk.map((r) => r.name)).toEqual(['Feature drift']);
    expect(growth.map((r) => r.name)).toEqual(['Accuracy drop', 'Missing distances']);
    expect(risk[0]!.definition).toMatchObject({ metric: 'drift_detected', column: { kind: 'any' }, granularity: 'hour', condition: { threshold: { kind: 'drift_verdict' } }, for: 1 });
    expect(growth[1]!.definition).toMatchObject({
      metric: 'missing_share',
      column: { kind: 'one', name: 'distance_km' },
      granularity: 'hour',
      condition: { op: '>', threshold: { kind: 'fixed', warning: 0.1, critical: 0.3 } },
    });
    expect(growth[0]!.definition).toMatchObject({ metric: 'accuracy', granularity: 'day', condition: { op: '<' }, minLabelCoverage: 0.5 });
    expect(first.rules).toEqual(Object.fromEntries([...risk, ...growth].map((r) => [r.name, r.id])));
  });

  it('is idempotent: a second run (with the kept credentials) changes nothing', async () => {
    const again = await seedDemo(db, { ...opts, credentials: first.credentials, now: first.story.anchor + 3 * HOUR_MS });
    expect(again.created).toBe(false);
    expect(again.credentials).toEqual(first.credentials);
    expect(again.organizationId).toBe(first.organizationId);
    expect(again.teams).toEqual(first.teams);
    expect(again.projects).toEqual(first.projects);
    expect(again.rules).toEqual(first.rules);
    expect(again.story.anchor).toBe(first.story.anchor);
    const t = db.forTenant(first.organizationId);
    expect((await listTeams(t)).length).toBe(2);
    for (const m of DEMO_MODELS) {
      const a = first.models[m.slug]!;
      const b = again.models[m.slug]!;
      expect(b).toMatchObject({ id: a.id, versionId: a.versionId, referenceDatasetId: a.referenceDatasetId, created: false, events: 0, labels: 0 });
      const ids = await storedEvents(first.organizationId, a.versionId, first.story.historyStart, first.story.anchor + 4 * HOUR_MS);
      expect(ids.length).toBe(a.events);
      const labels = await labelsForPredictions(db.pool, { organizationId: first.organizationId, projectId: a.projectId }, a.versionId, first.story.historyStart, first.story.anchor + 4 * HOUR_MS, ids);
      expect(labels.size).toBe(a.labels);
    }
  });
});
