import { corrupted, nasty } from '@vigil/api/testing';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '~/server/db';
import { ruleBody } from '../../../test/support/alerting';
import { signUp, type TestUser } from '../../../test/support/sessions';

/**
 * The alerting procedures under random malformed input, called as the workspace owner (so
 * access never refuses): every call succeeds or is refused with a client error — never
 * INTERNAL_SERVER_ERROR — and a refused create stores nothing.
 */

const CLIENT_ERRORS = ['BAD_REQUEST', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT'];

let owner: TestUser;
let orgId: string;
let teamId: string;
let ruleId: string;
let channelId: string;
let silenceId: string;

beforeAll(async () => {
  owner = await signUp('alerting-fuzz');
  orgId = (await owner.caller.workspace.create({ name: 'Fuzz' })).id;
  teamId = (await owner.caller.team.list())[0]!.id;
  channelId = (await owner.caller.channel.create({ teamId, channel: { type: 'email', name: 'Mail', to: ['ops@example.test'] } })).channel.id;
  ruleId = (await owner.caller.alertRule.create({ teamId, definition: ruleBody('Base', [channelId]) })).id;
  silenceId = (await owner.caller.silence.create({ teamId, matchers: [{ name: 'rule', op: '=', value: ruleId }], durationMinutes: 60 })).id;
});

async function counts() {
  const where = { organizationId: orgId };
  const db = getDb().system;
  return { rules: await db.alertRule.count({ where }), channels: await db.notificationChannel.count({ where }), silences: await db.silence.count({ where }) };
}

describe('alerting procedures under random malformed input', () => {
  it('answer every corrupted input with a result or a client error, and store nothing they refused', async () => {
    const c = owner.caller;
    const definition = ruleBody('Fuzzed', [channelId]);
    const calls = fc.oneof(
      corrupted([{ teamId, definition }]).map((input) => ({ name: 'alertRule.create', input, run: () => c.alertRule.create(input as never), creates: 'rules' as const })),
      corrupted([{ ruleId, definition }]).map((input) => ({ name: 'alertRule.update', input, run: () => c.alertRule.update(input as never), creates: null })),
      corrupted([{ teamId, definition, days: 2 }]).map((input) => ({ name: 'alertRule.backtest', input, run: () => c.alertRule.backtest(input as never), creates: null })),
      corrupted([
        { teamId, channel: { type: 'webhook', name: 'Hook', url: 'https://hooks.example.test/a' } },
        { teamId, channel: { type: 'slack', name: 'Slack', webhookUrl: 'https://hooks.slack.com/services/T0/B0/x' } },
        { teamId, channel: { type: 'pagerduty', name: 'PD', routingKey: 'R0123456789ABCDEF' } },
      ]).map((input) => ({ name: 'channel.create', input, run: () => c.channel.create(input as never), creates: 'channels' as const })),
      corrupted([{ channelId, name: 'Renamed', enabled: true }]).map((input) => ({ name: 'channel.update', input, run: () => c.channel.update(input as never), creates: null })),
      corrupted([{ teamId, matchers: [{ name: 'model', op: '=~', value: 'fraud.*' }], comment: 'deploy', durationMinutes: 30 }]).map((input) => ({ name: 'silence.create', input, run: () => c.silence.create(input as never), creates: 'silences' as const })),
      corrupted([{ teamId, policy: { groupBy: ['model'], groupWaitSeconds: 10, groupIntervalSeconds: 60, repeatIntervalSeconds: 3600 } }]).map((input) => ({ name: 'notificationPolicy.set', input, run: () => c.notificationPolicy.set(input as never), creates: null })),
      corrupted([{ state: 'all', limit: 10 }]).map((input) => ({ name: 'alert.list', input, run: () => c.alert.list(input as never), creates: null })),
      nasty.map((id) => ({ name: 'channel.deliveries', input: id as unknown, run: () => c.channel.deliveries({ channelId: id } as never), creates: null })),
      nasty.map((id) => ({ name: 'silence.expire', input: id as unknown, run: () => c.silence.expire({ silenceId: id === silenceId ? 'x' : id } as never), creates: null })),
    );
    const before = await counts();
    const created = { rules: 0, channels: 0, silences: 0 };
    await fc.assert(
      fc.asyncProperty(calls, async (call) => {
        try {
          await call.run();
          if (call.creates) created[call.creates]++;
        } catch (error) {
          const code = (error as { code?: string }).code ?? 'none';
          expect(CLIENT_ERRORS, `${call.name}(${JSON.stringify(call.input)?.slice(0, 300)}) → ${code}: ${(error as Error).message}`).toContain(code);
        }
      }),
      { numRuns: 500 },
    );
    expect(await counts()).toEqual({
      rules: before.rules + created.rules,
      channels: before.channels + created.channels,
      silences: before.silences + created.silences,
    });
  });
});
