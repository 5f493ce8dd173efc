import { randomBytes } from 'node:crypto';
import {
  addModelColumns,
  completeReferenceDataset,
  createAlertRule,
  createApiKey,
  createProject,
  createReferenceDataset,
  createTeam,
  DEFAULT_KEY_SCOPES,
  ensurePartitions,
  ensureWorkspace,
  findApiKeyByHash,
  generateApiKey,
  hashApiKey,
  insertLabels,
  insertPredictions,
  insertReferenceRows,
  latestReferenceDataset,
  listAlertRules,
  listProjectModels,
  listProjects,
  listTeams,
  updateModelSettings,
  upsertModel,
  upsertModelVersion,
  type Actor,
  type Db,
  type LabelInput,
  type PredictionInput,
  type TenantRef,
} from '@vigil/db';
import { buildReferenceProfile } from '@vigil/services';
import type { DemoCredentials } from './credentials.js';
import { DEMO_MODELS, generateReference, historyHour, historyHours } from './generate.js';
import { DEMO_DRIFT, type DemoModel } from './models/model.js';
import { demoRules } from './rules.js';
import { DAY_MS, storyAt, type Story } from './story.js';

export const DEMO_WORKSPACE = 'Demo Workspace';
export const DEMO_EMAIL = 'demo@vigil.local';
/** The version every demo event is logged under (the SDK's default). */
export const DEMO_VERSION = 'default';

export interface SeedOptions {
  /** Workspace name (its slug follows); default "Demo Workspace". Tests pass a unique one. */
  workspace?: string;
  /** What an earlier run kept: sign-in, keys and the story's anchor are reused from it. */
  credentials?: Partial<DemoCredentials>;
  /** Owner email for a new install (default demo@vigil.local). */
  email?: string;
  /** Where a new history ends (epoch ms); default now. */
  now?: number;
  /** Multiplies every hour's volume (tests seed at 0.01). Default 1. */
  scale?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface SeededModel {
  slug: string;
  id: string;
  versionId: string;
  projectId: string;
  referenceDatasetId: string;
  /** false: the model was already complete and its history was left alone */
  created: boolean;
  events: number;
  labels: number;
}

export interface SeedResult {
  credentials: DemoCredentials;
  organizationId: string;
  userId: string;
  /** team name → id */
  teams: Record<string, string>;
  /** project slug → ids */
  projects: Record<string, { id: string; teamId: string; name: string }>;
  models: Record<string, SeededModel>;
  /** rule name → id */
  rules: Record<string, string>;
  story: Story;
  /** whether the workspace itself was created by this run */
  created: boolean;
}

const EVENT_DAYS_PER_WRITE = 1;
const LABELS_PER_WRITE = 20_000;
const REFERENCE_ROWS_PER_WRITE = 2_000;
const REFERENCE_NAME = 'training set';

/**
 * Seeds the demo workspace: the owner, two teams, three projects with a key each, three
 * models with a training reference and 30 days of history (written with the data layer's bulk
 * functions, profiled on the reference's bins), segment tags and drift options, and one alert
 * rule per story. The worker computes everything else from these rows once it runs.
 *
 * Idempotent: a model whose settings are saved (the last step) is left alone, so a second run
 * changes nothing; a model left half-written by an interrupted run is written again (the event
 * ids make the rows already stored count once).
 */
export async function seedDemo(db: Db, opts: SeedOptions = {}): Promise<SeedResult> {
  const log = opts.log ?? (() => {});
  const scale = opts.scale ?? 1;
  const prior = opts.credentials ?? {};
  const creds: DemoCredentials = {
    email: prior.email ?? opts.email ?? DEMO_EMAIL,
    password: prior.password ?? randomBytes(9).toString('base64url'),
    apiKey: prior.apiKey ?? generateApiKey().secret,
    apiKeys: { ...prior.apiKeys },
    ...(prior.seededAt ? { seededAt: prior.seededAt } : {}),
  };

  const fraud = DEMO_MODELS[0]!;
  const ids = await ensureWorkspace(db.system, {
    organization: opts.workspace ?? DEMO_WORKSPACE,
    team: fraud.team,
    project: fraud.project,
    apiKey: creds.apiKey,
    userEmail: creds.email,
    userPassword: creds.password,
    userName: 'Demo User',
  });
  const t = db.forTenant(ids.organizationId);
  const actor: Actor & { userId: string } = { organizationId: ids.organizationId, userId: ids.userId };

  // Teams and projects, found by name when an earlier run made them.
  const teams: Record<string, string> = { [fraud.team]: ids.teamId };
  const existingTeams = await listTeams(t);
  for (const m of DEMO_MODELS) {
    if (teams[m.team]) continue;
    teams[m.team] = existingTeams.find((x) => x.name === m.team)?.id ?? (await createTeam(t, actor, m.team)).id;
  }
  const existingProjects = await listProjects(t);
  const projects: SeedResult['projects'] = {};
  const projectOf = new Map<string, { id: string; slug: string }>();
  for (const m of DEMO_MODELS) {
    const found = m.project === fraud.project ? existingProjects.find((p) => p.id === ids.projectId) : existingProjects.find((p) => p.name === m.project);
    const p = found ?? (await createProject(t, actor, teams[m.team]!, { name: m.project }));
    projects[p.slug] = { id: p.id, teamId: teams[m.team]!, name: m.project };
    projectOf.set(m.slug, { id: p.id, slug: p.slug });
  }

  // A key per project: the demo key for Fraud Detection, a key of their own for the others.
  const fraudProject = projectOf.get(fraud.slug)!;
  const apiKeys: Record<string, string> = { [fraudProject.slug]: creds.apiKey };
  for (const [slug, p] of Object.entries(projects)) {
    if (apiKeys[slug]) continue;
    const secret = creds.apiKeys?.[slug];
    const known = secret ? await findApiKeyByHash(db.pool, hashApiKey(secret)) : null;
    apiKeys[slug] = known && known.projectId === p.id && !known.revoked ? secret! : (await createApiKey(t, actor, p.id, { name: 'Demo simulator', scopes: DEFAULT_KEY_SCOPES })).secret;
  }
  creds.apiKeys = apiKeys;

  // Models: a new history is anchored now; models already complete keep the earlier anchor.
  const complete = new Map<string, { id: string; versionId?: string }>();
  for (const m of DEMO_MODELS) {
    const found = (await listProjectModels(t, projectOf.get(m.slug)!.id)).find((x) => x.slug === m.slug);
    if (found && found.segmentTags.length > 0) complete.set(m.slug, { id: found.id, versionId: found.versions.find((v) => v.name === DEMO_VERSION)?.id });
  }
  const fresh = complete.size < DEMO_MODELS.length;
  const anchor = fresh || !creds.seededAt ? (opts.now ?? Date.now()) : Date.parse(creds.seededAt);
  if (fresh) creds.seededAt = new Date(anchor).toISOString();
  const story = storyAt(anchor);

  // The models are written side by side: most of the time is spent in Postgres, which can work on them in parallel.
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  if (fresh) await ensurePartitions(db.pool, day(story.historyStart), day(story.anchor + DAY_MS));
  const seeded = await Promise.all(
    DEMO_MODELS.map(async (m): Promise<SeededModel> => {
      const project = projectOf.get(m.slug)!;
      const tenant: TenantRef = { organizationId: ids.organizationId, projectId: project.id };
      const done = complete.get(m.slug);
      if (!done) return seedModel(db, tenant, actor, m, story, scale, log);
      log(`${m.slug}: already seeded, left as it is`);
      return {
        slug: m.slug,
        id: done.id,
        versionId: done.versionId ?? (await upsertModelVersion(db.pool, tenant, done.id, DEMO_VERSION)),
        projectId: project.id,
        referenceDatasetId: (await latestReferenceDataset(t, done.id))?.id ?? '',
        created: false,
        events: 0,
        labels: 0,
      };
    }),
  );
  const models = Object.fromEntries(seeded.map((m) => [m.slug, m]));

  const rules = await ensureRules(db, actor, teams, projectOf);
  return { credentials: creds, organizationId: ids.organizationId, userId: ids.userId, teams, projects, models, rules, story, created: ids.created };
}

async function seedModel(db: Db, tenant: TenantRef, actor: Actor, m: DemoModel, story: Story, scale: number, log: (line: string) => void): Promise<SeededModel> {
  const started = Date.now();
  const t = db.forTenant(tenant.organizationId);
  const modelId = await upsertModel(db.pool, tenant, m.slug);
  const versionId = await upsertModelVersion(db.pool, tenant, modelId, DEMO_VERSION);
  // Registered as ingest would on the first event, so the reference profiles every column.
  await addModelColumns(db.pool, tenant, modelId, m.columns);

  // The reference first: its profile gives the bin edges the events are streamed on. (A model
  // of the same name left by an older demo has another reference: a new one is made, and being
  // the newest ready one it is the one compared against.)
  let reference = await latestReferenceDataset(t, modelId);
  if (reference?.status !== 'ready' || reference.name !== REFERENCE_NAME) {
    const rows = generateReference(m);
    const datasetId = await createReferenceDataset(db.pool, tenant, modelId, REFERENCE_NAME);
    for (let i = 0; i < rows.length; i += REFERENCE_ROWS_PER_WRITE) {
      await insertReferenceRows(db.pool, tenant, datasetId, i, rows.slice(i, i + REFERENCE_ROWS_PER_WRITE));
    }
    await completeReferenceDataset(db.pool, tenant, datasetId, rows.length);
    await buildReferenceProfile(db, { organizationId: tenant.organizationId, projectId: tenant.projectId, modelId, referenceDatasetId: datasetId });
    reference = await latestReferenceDataset(t, modelId);
  }

  const referenceDone = Date.now();

  // Events a day at a time (each day one statement, two in flight), then the labels that
  // arrived before the anchor.
  const hours = historyHours(story);
  const hoursPerWrite = EVENT_DAYS_PER_WRITE * 24;
  const labels: LabelInput[] = [];
  let events = 0;
  const writes = new Set<Promise<unknown>>();
  for (let i = 0; i < hours.length; i += hoursPerWrite) {
    const rows: PredictionInput[] = [];
    for (const h of hours.slice(i, i + hoursPerWrite)) {
      for (const e of historyHour(m, h, story, scale)) {
        rows.push({ modelId, modelVersionId: versionId, id: e.id, time: e.time, features: e.features, prediction: e.prediction, scores: e.scores, tags: e.tags });
        if (e.label && e.label.time <= story.anchor) labels.push({ id: e.id, time: e.label.time, label: e.label.value });
      }
    }
    events += rows.length;
    const write = insertPredictions(db.pool, tenant, rows).finally(() => writes.delete(write));
    writes.add(write);
    if (writes.size >= 2) await Promise.race(writes);
  }
  await Promise.all(writes);
  const eventsDone = Date.now();
  for (let i = 0; i < labels.length; i += LABELS_PER_WRITE) {
    await insertLabels(db.pool, tenant, labels.slice(i, i + LABELS_PER_WRITE));
  }

  // Saved last: a model with its settings is complete.
  await updateModelSettings(t, actor, modelId, { name: m.name, task: m.task, segmentTags: [m.segmentTag], drift: DEMO_DRIFT });
  const s = (from: number, to: number) => `${((to - from) / 1000).toFixed(1)} s`;
  const end = Date.now();
  log(
    `${m.slug}: ${events.toLocaleString('en-US')} events and ${labels.length.toLocaleString('en-US')} labels over ${hours.length} hours in ${s(started, end)} ` +
      `(reference ${s(started, referenceDone)}, events ${s(referenceDone, eventsDone)}, labels ${s(eventsDone, end)})`,
  );
  return { slug: m.slug, id: modelId, versionId, projectId: tenant.projectId, referenceDatasetId: reference?.id ?? '', created: true, events, labels: labels.length };
}

/** The story's rules, created in their team when no rule of that name exists there. */
async function ensureRules(db: Db, actor: Actor, teams: Record<string, string>, projectOf: Map<string, { id: string }>): Promise<Record<string, string>> {
  const t = db.forTenant(actor.organizationId);
  const out: Record<string, string> = {};
  for (const { team, rule } of demoRules((slug) => projectOf.get(slug)!.id)) {
    const teamId = teams[team]!;
    const existing = (await listAlertRules(t, [teamId])).find((r) => r.name === rule.name);
    out[rule.name] = existing?.id ?? (await createAlertRule(t, actor, teamId, rule)).id;
  }
  return out;
}
