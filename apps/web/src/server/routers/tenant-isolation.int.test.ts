import { dropBiLogins } from '@vigil/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '~/server/db';
import { createFiringAlert, ruleBody } from '../../../test/support/alerting';
import { callerFor, sessionOf, signIn, signUp, type TestUser } from '../../../test/support/sessions';
import { appRouter } from './index';

/**
 * Tenant isolation and read-only viewers, for every procedure of the router. Workspace A holds
 * the data; B is another workspace. Each procedure is called
 *  - by B's owner in their own workspace, naming A's objects;
 *  - by B's owner with a session whose active workspace was forged to A;
 *  - by A's viewer, when it mutates;
 * and must be refused. A procedure without a case here fails the first test.
 */

type Caller = Awaited<ReturnType<typeof callerFor>>;

interface Fixture {
  orgA: string;
  orgB: string;
  teamA: string;
  projectA: string;
  keyA: string;
  inviteA: string;
  inviteTokenA: string;
  memberA: string;
  ruleA: string;
  channelA: string;
  silenceA: string;
  alertA: string;
  modelA: string;
  versionA: string;
  /** A's BI database login. */
  biUserA: string;
  biRotatedA: Date;
  viewerA: TestUser;
  ownerA: TestUser;
  outsider: TestUser;
  forged: Caller;
}

type Input = (f: Fixture) => unknown;
type Case =
  /** A workspace procedure whose input names objects of workspace A. */
  | { scope: 'workspace'; input: Input }
  /** A workspace procedure without ids: outsiders read or write their own workspace, never A. */
  | { scope: 'workspace-own'; input?: Input }
  /** Not bound to the active workspace: the case states its own refusals. */
  | { scope: 'custom'; check: (f: Fixture) => Promise<void> };

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: 'query' | 'mutation' | 'subscription' } }>;
const paths = Object.keys(procedures).sort();

function call(caller: Caller, path: string, input: unknown): Promise<unknown> {
  let target: unknown = caller;
  for (const key of path.split('.')) target = (target as Record<string, unknown>)[key];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

const refused = (p: Promise<unknown>, codes = ['FORBIDDEN', 'NOT_FOUND']) =>
  expect(p).rejects.toSatisfy((e: { code?: string }) => codes.includes(e.code ?? ''), `refused with ${codes.join(' or ')}`);

const cases: Record<string, Case> = {
  'workspace.current': { scope: 'workspace-own' },
  'workspace.list': {
    scope: 'custom',
    async check(f) {
      const mine = await f.outsider.caller.workspace.list();
      expect(mine.workspaces.map((w) => w.id)).toEqual([f.orgB]);
    },
  },
  'workspace.create': {
    scope: 'custom',
    async check(f) {
      // Creating a workspace never touches another one: a fresh one, owned by the caller.
      const user = await signUp('creator');
      const created = await user.caller.workspace.create({ name: 'Fresh' });
      expect(created.id).not.toBe(f.orgA);
      expect(await getDb().system.membership.count({ where: { organizationId: f.orgA, userId: user.userId } })).toBe(0);
    },
  },
  'workspace.switch': {
    scope: 'custom',
    async check(f) {
      await refused(f.outsider.caller.workspace.switch({ organizationId: f.orgA }), ['FORBIDDEN']);
      await refused(f.viewerA.caller.workspace.switch({ organizationId: f.orgB }), ['FORBIDDEN']);
    },
  },
  'member.list': { scope: 'workspace-own' },
  'member.updateRole': { scope: 'workspace', input: (f) => ({ userId: f.memberA, role: 'ADMIN' }) },
  'member.remove': { scope: 'workspace', input: (f) => ({ userId: f.memberA }) },
  'invitation.list': { scope: 'workspace-own' },
  'invitation.create': { scope: 'workspace-own', input: () => ({ email: 'someone@example.test', role: 'MEMBER' }) },
  'invitation.revoke': { scope: 'workspace', input: (f) => ({ invitationId: f.inviteA }) },
  'invitation.preview': {
    scope: 'custom',
    async check(f) {
      // The token is the capability: without it nothing about any invitation is revealed.
      await refused(f.outsider.caller.invitation.preview({ token: 'x'.repeat(43) }), ['NOT_FOUND']);
      const preview = await f.outsider.caller.invitation.preview({ token: f.inviteTokenA });
      expect(Object.keys(preview).sort()).toEqual(['email', 'expiresAt', 'role', 'status', 'workspaceName']);
    },
  },
  'invitation.accept': {
    scope: 'custom',
    async check(f) {
      // An invitation addressed to someone else is refused; a used one cannot be used again.
      await refused(f.outsider.caller.invitation.accept({ token: f.inviteTokenA }), ['FORBIDDEN']);
      expect(await getDb().system.membership.count({ where: { organizationId: f.orgA, userId: f.outsider.userId } })).toBe(0);
      await refused(f.viewerA.caller.invitation.accept({ token: f.inviteTokenA }), ['FORBIDDEN']);
    },
  },
  'team.list': { scope: 'workspace-own' },
  'team.create': { scope: 'workspace-own', input: () => ({ name: 'Intruders' }) },
  'team.setMember': { scope: 'workspace', input: (f) => ({ teamId: f.teamA, userId: f.memberA, role: 'MAINTAINER' }) },
  'team.removeMember': { scope: 'workspace', input: (f) => ({ teamId: f.teamA, userId: f.ownerA.userId }) },
  'project.list': { scope: 'workspace-own' },
  'project.get': { scope: 'workspace', input: (f) => ({ projectId: f.projectA }) },
  'project.create': { scope: 'workspace', input: (f) => ({ teamId: f.teamA, name: 'Hijack', retentionDays: 7 }) },
  'project.update': { scope: 'workspace', input: (f) => ({ projectId: f.projectA, name: 'Hijacked' }) },
  'apiKey.list': { scope: 'workspace', input: (f) => ({ projectId: f.projectA }) },
  'apiKey.create': { scope: 'workspace', input: (f) => ({ projectId: f.projectA, name: 'stolen', scopes: ['ingest'] }) },
  'apiKey.revoke': { scope: 'workspace', input: (f) => ({ projectId: f.projectA, apiKeyId: f.keyA }) },
  'audit.list': { scope: 'workspace-own', input: () => ({}) },
  'biAccess.status': { scope: 'workspace-own' },
  'biAccess.issue': { scope: 'workspace-own' },
  'biAccess.revoke': { scope: 'workspace-own' },
  'alert.list': { scope: 'workspace-own', input: () => ({ state: 'all' }) },
  'alert.acknowledge': { scope: 'workspace', input: (f) => ({ alertId: f.alertA }) },
  'alertRule.list': {
    scope: 'custom',
    async check(f) {
      const own = JSON.stringify(await f.outsider.caller.alertRule.list());
      for (const id of idsOfA(f)) expect(own).not.toContain(id);
      await refused(f.outsider.caller.alertRule.list({ teamId: f.teamA }), ['NOT_FOUND']);
      await refused(f.forged.alertRule.list(), ['FORBIDDEN']);
      await refused(f.forged.alertRule.list({ teamId: f.teamA }), ['FORBIDDEN']);
    },
  },
  'alertRule.get': { scope: 'workspace', input: (f) => ({ ruleId: f.ruleA }) },
  'alertRule.create': { scope: 'workspace', input: (f) => ({ teamId: f.teamA, definition: ruleBody() }) },
  'alertRule.update': { scope: 'workspace', input: (f) => ({ ruleId: f.ruleA, definition: { ...ruleBody(), name: 'Hijacked' } }) },
  'alertRule.delete': { scope: 'workspace', input: (f) => ({ ruleId: f.ruleA }) },
  'alertRule.backtest': { scope: 'workspace', input: (f) => ({ teamId: f.teamA, definition: ruleBody(), days: 1 }) },
  'channel.list': { scope: 'workspace-own' },
  'channel.create': {
    scope: 'workspace',
    input: (f) => ({ teamId: f.teamA, channel: { type: 'webhook', name: 'Exfiltrate', url: 'https://evil.example.test/hook' } }),
  },
  'channel.update': { scope: 'workspace', input: (f) => ({ channelId: f.channelA, enabled: false }) },
  'channel.delete': { scope: 'workspace', input: (f) => ({ channelId: f.channelA }) },
  'channel.test': { scope: 'workspace', input: (f) => ({ channelId: f.channelA }) },
  'channel.deliveries': { scope: 'workspace', input: (f) => ({ channelId: f.channelA }) },
  'silence.list': { scope: 'workspace-own', input: () => ({ includeExpired: true }) },
  'silence.create': {
    scope: 'workspace',
    input: (f) => ({ teamId: f.teamA, matchers: [{ name: 'rule', op: '=~', value: '.*' }], durationMinutes: 60 }),
  },
  'silence.expire': { scope: 'workspace', input: (f) => ({ silenceId: f.silenceA }) },
  'notificationPolicy.get': { scope: 'workspace', input: (f) => ({ teamId: f.teamA }) },
  'notificationPolicy.set': { scope: 'workspace', input: (f) => ({ teamId: f.teamA, policy: { groupBy: [], groupWaitSeconds: 0 } }) },
  'model.overview': { scope: 'workspace-own', input: () => ({ time: { range: '30d' } }) },
  'model.header': { scope: 'workspace', input: (f) => ({ modelId: f.modelA }) },
  'model.series': { scope: 'workspace', input: (f) => ({ modelId: f.modelA, time: {}, metrics: ['prediction_count'] }) },
  'model.driftTable': { scope: 'workspace', input: (f) => ({ modelId: f.modelA, time: {} }) },
  'model.performanceEstimate': { scope: 'workspace', input: (f) => ({ modelId: f.modelA, time: {}, metric: 'estimated_f1' }) },
  'model.multivariateDrift': { scope: 'workspace', input: (f) => ({ modelId: f.modelA, time: {} }) },
  'model.distribution': { scope: 'workspace', input: (f) => ({ modelId: f.modelA, time: {}, column: 'amount' }) },
  'model.confusionMatrix': { scope: 'workspace', input: (f) => ({ modelId: f.modelA }) },
  'model.segments': { scope: 'workspace', input: (f) => ({ modelId: f.modelA, time: {} }) },
  'model.compareVersions': { scope: 'workspace', input: (f) => ({ modelId: f.modelA, a: f.versionA, b: f.versionA, time: {} }) },
  'model.alerts': { scope: 'workspace', input: (f) => ({ modelId: f.modelA }) },
  'model.report': { scope: 'workspace', input: (f) => ({ modelId: f.modelA, from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() }) },
  'model.updateSettings': { scope: 'workspace', input: (f) => ({ modelId: f.modelA, settings: { name: 'Hijacked' } }) },
  'model.createReference': { scope: 'workspace', input: (f) => ({ modelId: f.modelA, reference: { source: 'trailing', days: 7 } }) },
  'dataset.list': { scope: 'workspace-own' },
};

let f: Fixture;

beforeAll(async () => {
  const db = getDb().system;
  const ownerA = await signUp('owner-a');
  const orgA = (await ownerA.caller.workspace.create({ name: 'Alpha' })).id;
  const teamA = (await ownerA.caller.team.list())[0]!.id;
  const projectA = (await ownerA.caller.project.create({ teamId: teamA, name: 'Fraud', retentionDays: 30 })).id;
  const keyA = (await ownerA.caller.apiKey.create({ projectId: projectA, name: 'prod', scopes: ['ingest', 'read'] })).id;

  const viewerA = await signUp('viewer-a');
  const viewerInvite = await ownerA.caller.invitation.create({ email: viewerA.email, role: 'VIEWER' });
  await viewerA.caller.invitation.accept({ token: viewerInvite.link.split('/invite/')[1]! });

  const member = await signUp('member-a');
  const memberInvite = await ownerA.caller.invitation.create({ email: member.email, role: 'MEMBER' });
  await member.caller.invitation.accept({ token: memberInvite.link.split('/invite/')[1]! });

  const pending = await ownerA.caller.invitation.create({ email: 'pending@example.test', role: 'MEMBER' });

  const channelA = (await ownerA.caller.channel.create({ teamId: teamA, channel: { type: 'webhook', name: 'Hook A', url: 'https://hooks.example.test/a' } })).channel.id;
  const ruleA = (await ownerA.caller.alertRule.create({ teamId: teamA, definition: ruleBody('Missing amounts', [channelA]) })).id;
  const silenceA = (await ownerA.caller.silence.create({ teamId: teamA, matchers: [{ name: 'rule', op: '=', value: ruleA }], durationMinutes: 120 })).id;
  const modelA = await db.model.create({ data: { organizationId: orgA, projectId: projectA, slug: 'fraud', name: 'Fraud' } });
  const versionA = await db.modelVersion.create({ data: { organizationId: orgA, projectId: projectA, modelId: modelA.id, name: 'default' } });
  await db.modelColumn.create({ data: { organizationId: orgA, projectId: projectA, modelId: modelA.id, role: 'feature', name: 'amount', kind: 'numerical' } });
  // A's reference dataset: never listed to anyone else.
  await db.referenceDataset.create({ data: { organizationId: orgA, projectId: projectA, modelId: modelA.id, name: 'training A', source: 'upload', status: 'ready', rowCount: 10 } });
  const alertA = await createFiringAlert({ organizationId: orgA, ruleId: ruleA, modelId: modelA.id, projectId: projectA, value: 0.5 });
  const biUserA = (await ownerA.caller.biAccess.issue()).user;
  const biRotatedA = (await ownerA.caller.biAccess.status()).login!.rotatedAt;

  const outsider = await signUp('outsider');
  const orgB = (await outsider.caller.workspace.create({ name: 'Beta' })).id;
  // B has alerting of its own, so its lists are not empty by accident.
  const teamB = (await outsider.caller.team.list())[0]!.id;
  const channelB = (await outsider.caller.channel.create({ teamId: teamB, channel: { type: 'email', name: 'Mail B', to: ['b@example.test'] } })).channel.id;
  await outsider.caller.alertRule.create({ teamId: teamB, definition: ruleBody('Missing amounts', [channelB]) });
  await outsider.caller.silence.create({ teamId: teamB, matchers: [{ name: 'metric', op: '=', value: 'missing_share' }], durationMinutes: 30 });

  // The outsider signs in again and that session's active workspace is forged to A.
  const forgedCookie = await signIn(outsider.email);
  await db.session.update({ where: { id: (await sessionOf(forgedCookie)).id }, data: { activeOrganizationId: orgA } });

  f = {
    orgA,
    orgB,
    teamA,
    projectA,
    keyA,
    ruleA,
    channelA,
    silenceA,
    alertA,
    modelA: modelA.id,
    versionA: versionA.id,
    biUserA,
    biRotatedA,
    inviteA: pending.id,
    inviteTokenA: pending.link.split('/invite/')[1]!,
    memberA: member.userId,
    viewerA,
    ownerA,
    outsider,
    forged: await callerFor(forgedCookie),
  };
});

// Database roles are cluster-wide: the logins the tests made are dropped with them.
afterAll(() => dropBiLogins(getDb(), [f?.orgA, f?.orgB].filter((id): id is string => Boolean(id))));

/** Everything that identifies workspace A's data; none of it may appear in an outsider's answer. */
const idsOfA = (fx: Fixture) => [
  fx.orgA,
  fx.teamA,
  fx.projectA,
  fx.keyA,
  fx.inviteA,
  fx.memberA,
  fx.ownerA.userId,
  fx.ruleA,
  fx.channelA,
  fx.silenceA,
  fx.alertA,
  fx.modelA,
  fx.versionA,
  fx.biUserA,
];

describe('tenant isolation of the tRPC router', () => {
  it('has a case for every procedure', () => {
    expect(paths.length).toBeGreaterThan(20);
    expect(Object.keys(cases).sort()).toEqual(paths);
  });

  describe.each(paths)('%s', (path) => {
    it('is refused to a member of another workspace', async () => {
      const c = cases[path];
      if (!c) throw new Error(`no isolation case for ${path}`);
      if (c.scope === 'custom') return c.check(f);
      const input = c.input?.(f);
      // From their own workspace, naming A's objects.
      if (c.scope === 'workspace') {
        await refused(call(f.outsider.caller, path, input));
      } else {
        const own = JSON.stringify(await call(f.outsider.caller, path, input));
        for (const id of idsOfA(f)) expect(own).not.toContain(id);
      }
      // With a session pointed at A although they are no member of it.
      await refused(call(f.forged, path, input), ['FORBIDDEN']);
    });
  });

  // Mutations bound to the active workspace; the custom cases above check their viewers themselves.
  const workspaceMutations = paths.filter((p) => procedures[p]!._def.type === 'mutation' && cases[p]?.scope !== 'custom');

  describe.each(workspaceMutations)('%s', (path) => {
    it('is refused to a viewer of the workspace', async () => {
      const c = cases[path];
      const input = c && c.scope !== 'custom' ? c.input?.(f) : undefined;
      await refused(call(f.viewerA.caller, path, input), ['FORBIDDEN']);
    });
  });

  // Reads that only those who manage the objects may make: a viewer of the workspace is refused.
  const managerOnlyReads = ['apiKey.list', 'biAccess.status'];

  describe.each(managerOnlyReads)('%s', (path) => {
    it('is refused to a viewer of the workspace', async () => {
      const c = cases[path];
      const input = c && c.scope !== 'custom' ? c.input?.(f) : undefined;
      await refused(call(f.viewerA.caller, path, input), ['FORBIDDEN']);
    });
  });

  it('lists a project’s API keys to its owner without secrets or hashes', async () => {
    const keys = await f.ownerA.caller.apiKey.list({ projectId: f.projectA });
    expect(keys.map((k) => k.id)).toEqual([f.keyA]);
    const stored = await getDb().system.apiKey.findUniqueOrThrow({ where: { id: f.keyA } });
    expect(Object.keys(keys[0]!)).not.toContain('hash');
    expect(JSON.stringify(keys)).not.toContain(stored.hash);
  });

  it('left workspace A untouched', async () => {
    const db = getDb().system;
    expect((await db.project.findUniqueOrThrow({ where: { id: f.projectA } })).name).toBe('Fraud');
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: f.keyA } })).revokedAt).toBeNull();
    expect((await db.membership.findFirstOrThrow({ where: { organizationId: f.orgA, userId: f.memberA } })).role).toBe('MEMBER');
    expect((await db.invitation.findUniqueOrThrow({ where: { id: f.inviteA } })).revokedAt).toBeNull();
    expect(await db.team.count({ where: { organizationId: f.orgA } })).toBe(1);
    expect(await db.invitation.count({ where: { organizationId: f.orgA, email: 'someone@example.test' } })).toBe(0);
    expect(await db.team.count({ where: { organizationId: f.orgB, name: 'Intruders' } })).toBe(1);
    expect(await db.apiKey.count({ where: { projectId: f.projectA } })).toBe(1);

    const rule = await db.alertRule.findUniqueOrThrow({ where: { id: f.ruleA } });
    expect(rule.name).toBe('Missing amounts');
    expect((rule.definition as { channels: string[] }).channels).toEqual([f.channelA]);
    expect(await db.alertRule.count({ where: { organizationId: f.orgA } })).toBe(1);
    expect((await db.notificationChannel.findUniqueOrThrow({ where: { id: f.channelA } })).enabled).toBe(true);
    expect(await db.notificationChannel.count({ where: { organizationId: f.orgA } })).toBe(1);
    expect(await db.notificationDelivery.count({ where: { channelId: f.channelA } })).toBe(0);
    expect((await db.silence.findUniqueOrThrow({ where: { id: f.silenceA } })).endsAt.getTime()).toBeGreaterThan(Date.now());
    expect(await db.silence.count({ where: { organizationId: f.orgA } })).toBe(1);
    expect((await db.alert.findUniqueOrThrow({ where: { id: f.alertA } })).acknowledgedAt).toBeNull();
    expect((await db.team.findUniqueOrThrow({ where: { id: f.teamA } })).notificationPolicy).toEqual({});
    expect((await db.model.findUniqueOrThrow({ where: { id: f.modelA } })).name).toBe('Fraud');
    expect(await db.referenceDataset.count({ where: { modelId: f.modelA } })).toBe(1);
    const bi = await f.ownerA.caller.biAccess.status();
    expect(bi.login).toMatchObject({ user: f.biUserA, rotatedAt: f.biRotatedA });
  });

  it('lets the viewer read what the workspace holds', async () => {
    const projects = await f.viewerA.caller.project.list();
    expect(projects.map((p) => p.id)).toEqual([f.projectA]);
    const me = await f.viewerA.caller.workspace.current();
    expect(me).toMatchObject({ role: 'VIEWER', canWrite: false, isAdmin: false });
  });
});
