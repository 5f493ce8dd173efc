import { dropBiLogins } from '@vigil/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '~/server/db';
import { createFiringAlert, ruleBody } from '../../../test/support/alerting';
import { signUp, type TestUser } from '../../../test/support/sessions';

/**
 * Alerting is owned by teams (DESIGN.md §2, §6). In ONE workspace, team A holds a rule, a
 * channel, a silence and a firing alert. Members and maintainers of team B do not see them at
 * all; a plain member (or a viewer) of team A sees them and changes nothing; A's maintainers
 * and the workspace admins change them.
 */

type Caller = TestUser['caller'];

const tokenOf = (link: string) => link.split('/invite/')[1]!;

async function join(owner: TestUser, role: 'ADMIN' | 'MEMBER' | 'VIEWER', who: string): Promise<TestUser> {
  const user = await signUp(who);
  const inv = await owner.caller.invitation.create({ email: user.email, role });
  await user.caller.invitation.accept({ token: tokenOf(inv.link) });
  return user;
}

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: { code?: string }) => e.code ?? 'unknown',
  );

interface World {
  orgId: string;
  owner: TestUser;
  admin: TestUser;
  memberA: TestUser;
  maintainerA: TestUser;
  memberB: TestUser;
  maintainerB: TestUser;
  viewerA: TestUser;
  teamA: string;
  teamB: string;
  ruleA: string;
  channelA: string;
  silenceA: string;
  alertA: string;
  channelB: string;
  modelA: string;
  projectA: string;
  keyA: string;
}

let w: World;

beforeAll(async () => {
  const db = getDb().system;
  const owner = await signUp('owner');
  const orgId = (await owner.caller.workspace.create({ name: 'Teams' })).id;
  const teamA = (await owner.caller.team.create({ name: 'Team A' })).id;
  const teamB = (await owner.caller.team.create({ name: 'Team B' })).id;
  const [admin, memberA, maintainerA, memberB, maintainerB, viewerA] = await Promise.all([
    join(owner, 'ADMIN', 'admin'),
    join(owner, 'MEMBER', 'member-a'),
    join(owner, 'MEMBER', 'maintainer-a'),
    join(owner, 'MEMBER', 'member-b'),
    join(owner, 'MEMBER', 'maintainer-b'),
    join(owner, 'VIEWER', 'viewer-a'),
  ]);
  await owner.caller.team.setMember({ teamId: teamA, userId: memberA.userId, role: 'MEMBER' });
  await owner.caller.team.setMember({ teamId: teamA, userId: maintainerA.userId, role: 'MAINTAINER' });
  await owner.caller.team.setMember({ teamId: teamA, userId: viewerA.userId, role: 'MEMBER' });
  await owner.caller.team.setMember({ teamId: teamB, userId: memberB.userId, role: 'MEMBER' });
  await owner.caller.team.setMember({ teamId: teamB, userId: maintainerB.userId, role: 'MAINTAINER' });

  const projectA = (await owner.caller.project.create({ teamId: teamA, name: 'Scoring A', retentionDays: 30 })).id;
  const model = await db.model.create({ data: { organizationId: orgId, projectId: projectA, slug: 'scorer', name: 'Scorer' } });

  const channelA = (await maintainerA.caller.channel.create({ teamId: teamA, channel: { type: 'webhook', name: 'A hook', url: 'https://hooks.example.test/a' } }))
    .channel.id;
  const channelB = (await maintainerB.caller.channel.create({ teamId: teamB, channel: { type: 'email', name: 'B mail', to: ['b@example.test'] } })).channel.id;
  const ruleA = (await maintainerA.caller.alertRule.create({ teamId: teamA, definition: ruleBody('A rule', [channelA]) })).id;
  const silenceA = (await maintainerA.caller.silence.create({ teamId: teamA, matchers: [{ name: 'rule', op: '=', value: ruleA }], durationMinutes: 60 })).id;
  const alertA = await createFiringAlert({ organizationId: orgId, ruleId: ruleA, modelId: model.id, projectId: projectA, value: 0.42 });
  const keyA = (await maintainerA.caller.apiKey.create({ projectId: projectA, name: 'A ingest', scopes: ['ingest'] })).id;

  w = { orgId, owner, admin, memberA, maintainerA, memberB, maintainerB, viewerA, teamA, teamB, ruleA, channelA, silenceA, alertA, channelB, modelA: model.id, projectA, keyA };
});

// Database roles are cluster-wide: a BI login made here is dropped with the tests.
afterAll(() => (w ? dropBiLogins(getDb(), [w.orgId]) : undefined));

/** Every list a user can call, flattened to the ids it returned. */
async function everythingListed(c: Caller): Promise<string[]> {
  const [rules, channels, silences, alerts] = await Promise.all([
    c.alertRule.list(),
    c.channel.list(),
    c.silence.list({ includeExpired: true }),
    c.alert.list({ state: 'all' }),
  ]);
  return [...rules, ...channels, ...silences, ...alerts].map((x) => x.id);
}

/** Calls naming team A's objects that only read. */
const readsOfA = (c: Caller) => ({
  'alertRule.get': () => c.alertRule.get({ ruleId: w.ruleA }),
  'alertRule.list(teamA)': () => c.alertRule.list({ teamId: w.teamA }),
  'alertRule.backtest': () => c.alertRule.backtest({ teamId: w.teamA, definition: ruleBody('draft'), days: 2 }),
  'channel.deliveries': () => c.channel.deliveries({ channelId: w.channelA }),
  'notificationPolicy.get': () => c.notificationPolicy.get({ teamId: w.teamA }),
});

/** Calls that change an existing object of team A. */
const changesOfA = (c: Caller) => ({
  'alertRule.update': () => c.alertRule.update({ ruleId: w.ruleA, definition: ruleBody('Renamed', [w.channelA]) }),
  'alertRule.delete': () => c.alertRule.delete({ ruleId: w.ruleA }),
  'channel.update': () => c.channel.update({ channelId: w.channelA, enabled: false }),
  'channel.delete': () => c.channel.delete({ channelId: w.channelA }),
  'channel.test': () => c.channel.test({ channelId: w.channelA }),
  'silence.expire': () => c.silence.expire({ silenceId: w.silenceA }),
  'alert.acknowledge': () => c.alert.acknowledge({ alertId: w.alertA }),
});

/** Calls that create or set something for team A. */
const createsForA = (c: Caller) => ({
  'alertRule.create': () => c.alertRule.create({ teamId: w.teamA, definition: ruleBody('Intruder') }),
  'channel.create': () => c.channel.create({ teamId: w.teamA, channel: { type: 'slack', name: 'Leak', webhookUrl: 'https://hooks.slack.example.test/x' } }),
  'silence.create': () => c.silence.create({ teamId: w.teamA, matchers: [{ name: 'rule', op: '=~', value: '.*' }], durationMinutes: 60 }),
  'notificationPolicy.set': () => c.notificationPolicy.set({ teamId: w.teamA, policy: { groupBy: [] } }),
});

async function outcomes(calls: Record<string, () => Promise<unknown>>): Promise<Record<string, string>> {
  const entries = await Promise.all(Object.entries(calls).map(async ([name, call]) => [name, await codeOf(call())] as const));
  return Object.fromEntries(entries);
}

const all = (calls: Record<string, unknown>, code: string) => Object.fromEntries(Object.keys(calls).map((k) => [k, code]));

/** Team A's objects are as they were set up. */
async function teamAUntouched() {
  const db = getDb().system;
  const rule = await db.alertRule.findUniqueOrThrow({ where: { id: w.ruleA } });
  expect(rule.name).toBe('A rule');
  expect((await db.notificationChannel.findUniqueOrThrow({ where: { id: w.channelA } })).enabled).toBe(true);
  expect((await db.silence.findUniqueOrThrow({ where: { id: w.silenceA } })).endsAt.getTime()).toBeGreaterThan(Date.now());
  expect((await db.alert.findUniqueOrThrow({ where: { id: w.alertA } })).acknowledgedAt).toBeNull();
  expect(await db.notificationDelivery.count({ where: { channelId: w.channelA } })).toBe(0);
  expect(await db.alertRule.count({ where: { teamId: w.teamA } })).toBe(1);
  expect(await db.notificationChannel.count({ where: { teamId: w.teamA } })).toBe(1);
  expect(await db.silence.count({ where: { teamId: w.teamA } })).toBe(1);
  expect((await db.team.findUniqueOrThrow({ where: { id: w.teamA } })).notificationPolicy).toEqual({});
}

/*
 * Models are read workspace-wide (the overview shows every model), but their alerts only to the
 * teams that own the rules, and their settings and reference change only by the maintainers of
 * the model's team and the workspace admins.
 */
describe('models between teams of one workspace', () => {
  const modelChanges = (c: Caller) => ({
    'model.updateSettings': () => c.model.updateSettings({ modelId: w.modelA, settings: { segmentTags: ['intruder'] } }),
    'model.createReference': () => c.model.createReference({ modelId: w.modelA, reference: { source: 'trailing', days: 3 } }),
  });
  const modelTags = async () => (await getDb().system.model.findUniqueOrThrow({ where: { id: w.modelA } })).segmentTags;

  it.each(['memberB', 'maintainerB', 'viewerA', 'memberA'] as const)('shows %s team A’s model, but changes nothing of it', async (who) => {
    const c = w[who].caller;
    const overview = await c.model.overview({});
    expect(overview.models.map((m) => m.id)).toContain(w.modelA);
    expect((await c.model.header({ modelId: w.modelA })).model.id).toBe(w.modelA);
    expect(await outcomes(modelChanges(c))).toEqual(all(modelChanges(c), 'FORBIDDEN'));
    expect(await modelTags()).toEqual([]);
    expect(await getDb().system.referenceDataset.count({ where: { modelId: w.modelA } })).toBe(0);
  });

  it('counts and lists the model’s alerts only for the team that owns the rule', async () => {
    for (const who of ['memberB', 'maintainerB'] as const) {
      const c = w[who].caller;
      expect((await c.model.overview({})).models.find((m) => m.id === w.modelA)?.alerts).toEqual({ firing: 0, pending: 0 });
      expect((await c.model.header({ modelId: w.modelA })).status.alerts).toEqual({ firing: 0, pending: 0 });
      expect(await c.model.alerts({ modelId: w.modelA })).toEqual({ alerts: [], history: [] });
    }
    const a = w.memberA.caller;
    expect((await a.model.overview({})).models.find((m) => m.id === w.modelA)?.alerts).toEqual({ firing: 1, pending: 0 });
    expect((await a.model.alerts({ modelId: w.modelA })).alerts.map((x) => x.id)).toEqual([w.alertA]);
  });

  it.each(['maintainerA', 'admin'] as const)('lets %s change the model’s settings and reference', async (who) => {
    const c = w[who].caller;
    await c.model.updateSettings({ modelId: w.modelA, settings: { segmentTags: [who] } });
    expect(await modelTags()).toEqual([who]);
    const ref = await c.model.createReference({ modelId: w.modelA, reference: { source: 'trailing', days: 3 } });
    expect(ref).toMatchObject({ status: 'pending' });
    await c.model.updateSettings({ modelId: w.modelA, settings: { segmentTags: [] } });
  });
});

/*
 * A project's API keys (names, scopes, last use) are listed only to those who manage them: the
 * maintainers of the project's team and the workspace admins — not to viewers, plain members, or
 * other teams. Key secrets are never stored, and their hashes are never listed.
 */
describe('API keys between teams of one workspace', () => {
  it.each(['viewerA', 'memberA', 'memberB', 'maintainerB'] as const)('refuses %s the list of team A’s project keys', async (who) => {
    expect(await codeOf(w[who].caller.apiKey.list({ projectId: w.projectA }))).toBe('FORBIDDEN');
  });

  it.each(['maintainerA', 'admin', 'owner'] as const)('lists team A’s project keys to %s, without secret or hash', async (who) => {
    const keys = await w[who].caller.apiKey.list({ projectId: w.projectA });
    expect(keys.map((k) => k.id)).toEqual([w.keyA]);
    const stored = await getDb().system.apiKey.findUniqueOrThrow({ where: { id: w.keyA } });
    expect(JSON.stringify(keys)).not.toContain(stored.hash);
    expect(Object.keys(keys[0]!).sort()).toEqual(['createdAt', 'createdBy', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'scopes']);
  });
});

describe('alerting between teams of one workspace', () => {
  describe.each(['memberB', 'maintainerB'] as const)('%s (of team B, not of A)', (who) => {
    it('sees none of team A’s rules, channels, silences or alerts, but its own team’s', async () => {
      const listed = await everythingListed(w[who].caller);
      for (const id of [w.ruleA, w.channelA, w.silenceA, w.alertA]) expect(listed).not.toContain(id);
      expect(listed).toContain(w.channelB);
    });

    it('gets NOT_FOUND for every call naming team A’s objects', async () => {
      const c = w[who].caller;
      const calls = { ...readsOfA(c), ...changesOfA(c) };
      expect(await outcomes(calls)).toEqual(all(calls, 'NOT_FOUND'));
      await teamAUntouched();
    });

    it('cannot create rules, channels or silences for team A, nor set its policy', async () => {
      const calls = createsForA(w[who].caller);
      expect(await outcomes(calls)).toEqual(all(calls, 'FORBIDDEN'));
      await teamAUntouched();
    });
  });

  it('lets team B’s maintainer manage team B’s own alerting', async () => {
    const c = w.maintainerB.caller;
    const rule = await c.alertRule.create({ teamId: w.teamB, definition: ruleBody('B rule', [w.channelB]) });
    expect(await c.alertRule.get({ ruleId: rule.id })).toMatchObject({ teamId: w.teamB, name: 'B rule' });
    await c.alertRule.delete({ ruleId: rule.id });
    await expect(c.alertRule.get({ ruleId: rule.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  describe.each(['memberA', 'viewerA'] as const)('%s (reads team A without maintaining it)', (who) => {
    it('sees team A’s rule, channel, silence and alert, but nothing of team B', async () => {
      const listed = await everythingListed(w[who].caller);
      for (const id of [w.ruleA, w.channelA, w.silenceA, w.alertA]) expect(listed).toContain(id);
      expect(listed).not.toContain(w.channelB);
      const c = w[who].caller;
      expect(await c.alertRule.get({ ruleId: w.ruleA })).toMatchObject({ id: w.ruleA, name: 'A rule' });
      expect(await c.channel.deliveries({ channelId: w.channelA })).toEqual([]);
      expect(await c.notificationPolicy.get({ teamId: w.teamA })).toMatchObject({ groupBy: ['model'], repeatIntervalSeconds: 14_400 });
      expect(await c.alertRule.backtest({ teamId: w.teamA, definition: ruleBody('draft'), days: 2 })).toMatchObject({ episodes: [], days: 2 });
    });

    it('cannot change, create or acknowledge anything of team A', async () => {
      const c = w[who].caller;
      const calls = { ...changesOfA(c), ...createsForA(c) };
      expect(await outcomes(calls)).toEqual(all(calls, 'FORBIDDEN'));
      await teamAUntouched();
    });
  });

  it('refuses a rule naming a channel of another team, with a validation error at channels.0', async () => {
    for (const c of [w.maintainerA.caller, w.admin.caller]) {
      const attempt = c.alertRule.create({ teamId: w.teamA, definition: ruleBody('Borrowed channel', [w.channelB]) });
      await expect(attempt).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        cause: { code: 'VALIDATION_FAILED', details: { errors: [expect.objectContaining({ path: 'channels.0' })] } },
      });
      const update = c.alertRule.update({ ruleId: w.ruleA, definition: ruleBody('A rule', [w.channelA, w.channelB]) });
      await expect(update).rejects.toMatchObject({ cause: { details: { errors: [expect.objectContaining({ path: 'channels.1' })] } } });
    }
    await teamAUntouched();
  });

  // Runs last among the changes: it acknowledges, expires and deletes A's objects.
  it.each(['maintainerA', 'admin'] as const)('lets %s change team A’s alerting', async (who) => {
    const c = w[who].caller;
    const db = getDb().system;
    const listed = await everythingListed(c);
    for (const id of [w.ruleA, w.channelA, w.silenceA, w.alertA]) expect(listed).toContain(id);

    const rule = await c.alertRule.update({ ruleId: w.ruleA, definition: { ...ruleBody(`A rule by ${who}`, [w.channelA]), enabled: false } });
    expect(rule).toMatchObject({ name: `A rule by ${who}`, enabled: false });
    expect(await c.channel.update({ channelId: w.channelA, enabled: false })).toMatchObject({ enabled: false });
    await c.channel.update({ channelId: w.channelA, enabled: true });
    // One test per channel every 10 s: each caller here tests A's channel as if the last test were long past.
    await db.notificationChannel.update({ where: { id: w.channelA }, data: { lastTestAt: null } });
    const { deliveryId } = await c.channel.test({ channelId: w.channelA });
    expect(await c.channel.deliveries({ channelId: w.channelA })).toContainEqual(expect.objectContaining({ id: deliveryId, kind: 'test', status: 'pending' }));
    await c.alert.acknowledge({ alertId: w.alertA });
    expect((await db.alert.findUniqueOrThrow({ where: { id: w.alertA } })).acknowledgedById).toBe(w[who].userId);
    const policy = await c.notificationPolicy.set({ teamId: w.teamA, policy: { groupBy: ['rule', 'model'], groupWaitSeconds: 10 } });
    expect(policy).toMatchObject({ groupBy: ['rule', 'model'], groupWaitSeconds: 10, groupIntervalSeconds: 300 });
    const silence = await c.silence.create({ teamId: w.teamA, matchers: [{ name: 'model', op: '=', value: 'scorer' }], durationMinutes: 30 });
    expect(await c.silence.expire({ silenceId: silence.id })).toMatchObject({ active: false });
    const created = await c.alertRule.create({ teamId: w.teamA, definition: ruleBody(`Extra by ${who}`, [w.channelA]) });
    await c.alertRule.delete({ ruleId: created.id });
    expect(await db.alertRule.count({ where: { id: created.id } })).toBe(0);

    const actions = (await db.auditLog.findMany({ where: { actorUserId: w[who].userId }, select: { action: true } })).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['alert_rule.updated', 'channel.updated', 'alert.acknowledged', 'notification_policy.updated', 'silence.created', 'silence.expired', 'alert_rule.deleted']),
    );
  });

  it('lets the workspace admin delete team A’s channel, silence and rule', async () => {
    const c = w.admin.caller;
    await c.silence.expire({ silenceId: w.silenceA });
    await c.channel.delete({ channelId: w.channelA });
    const rule = await c.alertRule.get({ ruleId: w.ruleA });
    expect(rule.definition.channels).toEqual([]);
    await c.alertRule.delete({ ruleId: w.ruleA });
    const m = w.memberA.caller;
    expect(await m.alertRule.list({ teamId: w.teamA })).toEqual([]);
    expect(await m.channel.list()).toEqual([]);
    expect(await m.alert.list({ state: 'all' })).toEqual([]);
    expect((await m.silence.list({ includeExpired: true })).find((s) => s.id === w.silenceA)).toMatchObject({ active: false });
  });
});

/*
 * The workspace BI login reads every team's models and metrics, so only the workspace's owners
 * and admins manage it: team maintainers, members and viewers are refused.
 */
describe('BI access within one workspace', () => {
  const biCalls = (c: Caller) => ({
    'biAccess.status': () => c.biAccess.status(),
    'biAccess.issue': () => c.biAccess.issue(),
    'biAccess.revoke': () => c.biAccess.revoke(),
  });

  it.each(['viewerA', 'memberA', 'maintainerA', 'memberB', 'maintainerB'] as const)('refuses %s', async (who) => {
    const calls = biCalls(w[who].caller);
    expect(await outcomes(calls)).toEqual(all(calls, 'FORBIDDEN'));
    expect((await getDb().pool.query('SELECT 1 FROM bi_logins WHERE organization_id = $1', [w.orgId])).rowCount).toBe(0);
  });

  it('lets an admin create and rotate the login and the owner revoke it, the password never listed', async () => {
    const created = await w.admin.caller.biAccess.issue();
    expect(created).toMatchObject({ schema: 'bi', user: expect.stringMatching(/^vigil_bi_/) });
    const rotated = await w.admin.caller.biAccess.issue();
    expect(rotated.user).toBe(created.user);
    expect(rotated.password).not.toBe(created.password);
    const status = await w.owner.caller.biAccess.status();
    expect(status.login?.user).toBe(created.user);
    expect(JSON.stringify(status)).not.toContain(rotated.password);
    expect(await w.owner.caller.biAccess.revoke()).toEqual({ revoked: true });
    expect((await w.owner.caller.biAccess.status()).login).toBeNull();
  });
});
