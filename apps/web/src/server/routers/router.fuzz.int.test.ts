import { corrupted } from '@vigil/api/testing';
import fc from 'fast-check';
import { dropBiLogins } from '@vigil/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '~/server/db';
import { createFiringAlert, ruleBody } from '../../../test/support/alerting';
import { signUp, type TestUser } from '../../../test/support/sessions';
import { appRouter } from './index';

/**
 * Every tRPC procedure under random malformed input, called by the workspace owner (so access
 * rarely refuses): each call returns or is refused with a client error — never
 * INTERNAL_SERVER_ERROR — and a refused create stores nothing.
 */

const CLIENT_ERRORS = ['BAD_REQUEST', 'UNAUTHORIZED', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'TOO_MANY_REQUESTS'];
const procedures = Object.keys(appRouter._def.procedures).sort();

interface World {
  owner: TestUser;
  orgId: string;
  teamId: string;
  memberId: string;
  projectId: string;
  apiKeyId: string;
  invitationId: string;
  ruleId: string;
  channelId: string;
  silenceId: string;
  alertId: string;
  modelId: string;
  versionId: string;
}
let w: World;

beforeAll(async () => {
  const owner = await signUp('router-fuzz');
  const orgId = (await owner.caller.workspace.create({ name: 'Fuzz' })).id;
  const teamId = (await owner.caller.team.list())[0]!.id;
  const member = await signUp('router-fuzz-member');
  const invite = await owner.caller.invitation.create({ email: member.email, role: 'MEMBER' });
  await member.caller.invitation.accept({ token: invite.link.split('/invite/')[1]! });
  const invitationId = (await owner.caller.invitation.create({ email: 'pending@example.test', role: 'VIEWER' })).id;
  const projectId = (await owner.caller.project.create({ teamId, name: 'Payments', retentionDays: 30 })).id;
  const apiKeyId = (await owner.caller.apiKey.create({ projectId, name: 'svc', scopes: ['ingest'] })).id;
  const channelId = (await owner.caller.channel.create({ teamId, channel: { type: 'email', name: 'Mail', to: ['ops@example.test'] } })).channel.id;
  const ruleId = (await owner.caller.alertRule.create({ teamId, definition: ruleBody('Base', [channelId]) })).id;
  const silenceId = (await owner.caller.silence.create({ teamId, matchers: [{ name: 'rule', op: '=', value: ruleId }], durationMinutes: 60 })).id;
  const model = await getDb().system.model.create({ data: { organizationId: orgId, projectId, slug: 'fraud', name: 'Fraud' } });
  const version = await getDb().system.modelVersion.create({ data: { organizationId: orgId, projectId, modelId: model.id, name: 'default' } });
  await getDb().system.modelColumn.create({ data: { organizationId: orgId, projectId, modelId: model.id, role: 'feature', name: 'amount', kind: 'numerical' } });
  const alertId = await createFiringAlert({ organizationId: orgId, ruleId, modelId: model.id, projectId, value: 1 });
  w = { owner, orgId, teamId, memberId: member.userId, projectId, apiKeyId, invitationId, ruleId, channelId, silenceId, alertId, modelId: model.id, versionId: version.id };
});

// Database roles are cluster-wide: the BI login the calls made is dropped with the tests.
afterAll(() => (w ? dropBiLogins(getDb(), [w.orgId]) : undefined));

/** Valid inputs of every procedure (more than one where the shapes differ), the starting points of the corruptions. */
const bases = (): Record<string, Record<string, unknown>[]> => ({
  'workspace.current': [{}],
  'workspace.list': [{}],
  'workspace.create': [{ name: 'Another' }],
  'workspace.switch': [{ organizationId: w.orgId }],
  'member.list': [{}],
  'member.updateRole': [{ userId: w.memberId, role: 'VIEWER' }],
  'member.remove': [{ userId: w.memberId }],
  'invitation.list': [{}],
  'invitation.create': [{ email: 'new@example.test', role: 'MEMBER' }],
  'invitation.revoke': [{ invitationId: w.invitationId }],
  'invitation.preview': [{ token: 'x'.repeat(43) }],
  'invitation.accept': [{ token: 'x'.repeat(43) }],
  'team.list': [{}],
  'team.create': [{ name: 'Risk' }],
  'team.setMember': [{ teamId: w.teamId, userId: w.memberId, role: 'MEMBER' }],
  'team.removeMember': [{ teamId: w.teamId, userId: w.memberId }],
  'project.list': [{}],
  'project.get': [{ projectId: w.projectId }],
  'project.create': [{ teamId: w.teamId, name: 'Scoring', retentionDays: 7 }],
  'project.update': [{ projectId: w.projectId, name: 'Renamed', retentionDays: 90 }],
  'apiKey.list': [{ projectId: w.projectId }],
  'apiKey.create': [{ projectId: w.projectId, name: 'reader', scopes: ['read', 'ingest'] }],
  'apiKey.revoke': [{ projectId: w.projectId, apiKeyId: w.apiKeyId }],
  'audit.list': [{ limit: 10 }],
  'alert.list': [{ state: 'all', limit: 10 }],
  'alert.acknowledge': [{ alertId: w.alertId }],
  'alertRule.list': [{ teamId: w.teamId }],
  'alertRule.get': [{ ruleId: w.ruleId }],
  'alertRule.create': [{ teamId: w.teamId, definition: ruleBody('Fuzzed', [w.channelId]) }],
  'alertRule.update': [{ ruleId: w.ruleId, definition: ruleBody('Base', [w.channelId]) }],
  'alertRule.delete': [{ ruleId: 'not-a-rule' }],
  'alertRule.backtest': [{ teamId: w.teamId, definition: ruleBody('Draft'), days: 2 }],
  'channel.list': [{}],
  'channel.create': [
    { teamId: w.teamId, channel: { type: 'webhook', name: 'Hook', url: 'https://hooks.example.test/a' } },
    { teamId: w.teamId, channel: { type: 'slack', name: 'Slack', webhookUrl: 'https://hooks.slack.com/services/T0/B0/x' } },
    { teamId: w.teamId, channel: { type: 'pagerduty', name: 'PD', routingKey: 'R0123456789ABCDEF' } },
  ],
  'channel.update': [{ channelId: w.channelId, name: 'Renamed', enabled: true }],
  'channel.delete': [{ channelId: 'not-a-channel' }],
  'channel.test': [{ channelId: w.channelId }],
  'channel.deliveries': [{ channelId: w.channelId }],
  'silence.list': [{ includeExpired: true }],
  'silence.create': [{ teamId: w.teamId, matchers: [{ name: 'model', op: '=~', value: 'fraud.*' }], comment: 'deploy', durationMinutes: 30 }],
  'silence.expire': [{ silenceId: 'not-a-silence' }],
  'notificationPolicy.get': [{ teamId: w.teamId }],
  'notificationPolicy.set': [{ teamId: w.teamId, policy: { groupBy: ['model'], groupWaitSeconds: 10, groupIntervalSeconds: 60, repeatIntervalSeconds: 3600 } }],
  'model.overview': [{ time: { range: '24h' } }, { time: { range: 'custom', from: '2026-11-01T00:00:00Z', to: '2026-11-08T00:00:00Z', bucket: '1d' } }],
  'model.header': [{ modelId: w.modelId }],
  'model.series': [{ modelId: w.modelId, versionId: w.versionId, time: { range: '7d' }, metrics: ['prediction_count', 'drift_score'], columns: ['', 'amount'] }],
  'model.driftTable': [{ modelId: w.modelId, time: { range: '30d' } }],
  'model.performanceEstimate': [{ modelId: w.modelId, versionId: w.versionId, time: { range: '7d' }, metric: 'estimated_accuracy' }],
  'model.multivariateDrift': [{ modelId: w.modelId, versionId: w.versionId, time: { range: '24h' } }],
  'model.distribution': [{ modelId: w.modelId, time: { range: '24h' }, column: 'amount' }],
  'model.confusionMatrix': [{ modelId: w.modelId, granularity: 'day' }],
  'model.segments': [{ modelId: w.modelId, time: { range: '7d' } }],
  'model.compareVersions': [{ modelId: w.modelId, a: w.versionId, b: w.versionId, time: { range: '7d' } }],
  'model.alerts': [{ modelId: w.modelId }],
  'model.report': [{ modelId: w.modelId, from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }],
  'model.updateSettings': [{ modelId: w.modelId, settings: { name: 'Fraud', segmentTags: ['country'], drift: { threshold: 0.2 }, columnKinds: [{ role: 'feature', name: 'amount', kind: 'numerical' }] } }],
  'model.createReference': [{ modelId: w.modelId, reference: { source: 'trailing', days: 7 } }],
  'dataset.list': [{}],
  'biAccess.status': [{}],
  'biAccess.issue': [{}],
  'biAccess.revoke': [{}],
});

function call(caller: TestUser['caller'], path: string, input: unknown): Promise<unknown> {
  let target: unknown = caller;
  for (const key of path.split('.')) target = (target as Record<string, unknown>)[key];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

async function counts() {
  const where = { organizationId: w.orgId };
  const db = getDb().system;
  return { rules: await db.alertRule.count({ where }), channels: await db.notificationChannel.count({ where }), silences: await db.silence.count({ where }), projects: await db.project.count({ where }) };
}
const CREATES: Record<string, keyof Awaited<ReturnType<typeof counts>>> = {
  'alertRule.create': 'rules',
  'channel.create': 'channels',
  'silence.create': 'silences',
  'project.create': 'projects',
};

describe('every tRPC procedure under random malformed input', () => {
  it('has valid base inputs for every procedure', () => {
    expect(Object.keys(bases()).sort()).toEqual(procedures);
  });

  it('answers every corrupted input with a result or a client error, and stores nothing it refused', async () => {
    const all = bases();
    const calls = fc.oneof(...Object.entries(all).map(([path, inputs]) => corrupted(inputs).map((input) => ({ path, input }))));
    const before = await counts();
    const created = { rules: 0, channels: 0, silences: 0, projects: 0 };
    let succeeded = 0;
    await fc.assert(
      fc.asyncProperty(calls, async ({ path, input }) => {
        // workspace.create and .switch move the session elsewhere: every call starts in the fixture's workspace.
        await getDb().system.session.updateMany({ where: { userId: w.owner.userId }, data: { activeOrganizationId: w.orgId } });
        try {
          await call(w.owner.caller, path, input);
          succeeded++;
          const kind = CREATES[path];
          if (kind) created[kind]++;
        } catch (error) {
          const code = (error as { code?: string }).code ?? 'none';
          expect(CLIENT_ERRORS, `${path}(${JSON.stringify(input)?.slice(0, 300)}) → ${code}: ${(error as Error).message}`).toContain(code);
        }
      }),
      { numRuns: 1_000 },
    );
    // Corruptions start from valid calls: a fair share still goes through (else the bases are wrong).
    expect(succeeded).toBeGreaterThan(100);
    const after = await counts();
    expect(after).toEqual({
      rules: before.rules + created.rules,
      channels: before.channels + created.channels,
      silences: before.silences + created.silences,
      projects: before.projects + created.projects,
    });
  });
});
