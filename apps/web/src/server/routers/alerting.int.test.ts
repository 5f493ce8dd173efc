import { DEVELOPMENT_SECRET_KEY, openChannelSecret, SecretBox } from '@vigil/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { POST } from '~/app/api/trpc/[trpc]/route';
import { getDb } from '~/server/db';
import { missingAmountsRule, storeHourlyMissingShare } from '../../../test/support/alerting';
import { signUp, type TestUser } from '../../../test/support/sessions';

/** Alerting procedures beyond access: channel secrets, the backtest preview, and form errors over HTTP. */

const HOUR = 3_600_000;

let owner: TestUser;
let orgId: string;
let teamId: string;
let projectId: string;
let modelId: string;

beforeAll(async () => {
  owner = await signUp('alerting-owner');
  orgId = (await owner.caller.workspace.create({ name: 'Alerting' })).id;
  teamId = (await owner.caller.team.list())[0]!.id;
  projectId = (await owner.caller.project.create({ teamId, name: 'Payments', retentionDays: 30 })).id;
  modelId = (await getDb().system.model.create({ data: { organizationId: orgId, projectId, slug: 'payments', name: 'Payments model' } })).id;
});

describe('notification channels', () => {
  it('returns a generated webhook signing secret once and never lists any secret', async () => {
    const url = 'https://hooks.example.test/path?token=super-secret-token';
    const created = await owner.caller.channel.create({ teamId, channel: { type: 'webhook', name: 'Generated', url } });
    expect(created.signingSecret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(created.channel).toMatchObject({ type: 'webhook', config: { host: 'hooks.example.test' }, enabled: true });

    const own = await owner.caller.channel.create({ teamId, channel: { type: 'webhook', name: 'Own secret', url, signingSecret: 'my-own-signing-secret-123' } });
    expect(own).not.toHaveProperty('signingSecret');
    const pd = await owner.caller.channel.create({ teamId, channel: { type: 'pagerduty', name: 'On call', routingKey: 'R0UTINGKEY12345678' } });
    expect(pd.channel.config).toEqual({ routingKeyEnd: '5678' });

    const listed = JSON.stringify(await owner.caller.channel.list());
    for (const secret of ['super-secret-token', created.signingSecret!, 'my-own-signing-secret-123', 'R0UTINGKEY12345678']) {
      expect(listed).not.toContain(secret);
    }
    // Sealed with the development key, so the worker (same key outside production) can open it.
    const row = await getDb().system.notificationChannel.findUniqueOrThrow({ where: { id: created.channel.id } });
    expect(row.secretEncrypted).not.toContain('super-secret-token');
    expect(openChannelSecret(new SecretBox(DEVELOPMENT_SECRET_KEY), row)).toEqual({
      type: 'webhook',
      url,
      signingSecret: created.signingSecret,
    });
  });

  it('queues a test delivery that the deliveries list shows as pending', async () => {
    const { channel } = await owner.caller.channel.create({ teamId, channel: { type: 'email', name: 'Mail', to: ['ops@example.test'] } });
    const { deliveryId } = await owner.caller.channel.test({ channelId: channel.id });
    const deliveries = await owner.caller.channel.deliveries({ channelId: channel.id });
    expect(deliveries).toEqual([expect.objectContaining({ id: deliveryId, kind: 'test', status: 'pending', attempts: [], lastError: null })]);
  });
});

describe('the backtest preview', () => {
  const rule = missingAmountsRule;

  it('replays the draft over the stored hourly points and reports each firing episode', async () => {
    // 48 complete hours: clean, then 5 breaching hours (warning, then critical), then clean again.
    // The newest ended an hour ago or more, so it is past its grace period whenever this runs.
    const start = Math.floor(Date.now() / HOUR) * HOUR - 49 * HOUR;
    const values = Array.from({ length: 48 }, (_, i) => (i >= 20 && i < 25 ? (i < 22 ? 0.3 : 0.5) : 0.05));
    await storeHourlyMissingShare({ organizationId: orgId, projectId, modelId, start }, values);
    const result = await owner.caller.alertRule.backtest({ teamId, definition: rule });
    expect(result.days).toBe(30);
    expect(result.windows).toBe(48);
    expect(result.definition).toMatchObject({ for: 0, noData: 'nodata', channels: [] });
    expect(result.episodes).toEqual([
      {
        fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        labels: { model: modelId, version: '', column: 'amount', segment: '' },
        modelName: 'Payments model',
        // Fires when the first breaching hour has ended, resolves when the first clean one has.
        firedAt: new Date(start + 21 * HOUR).toISOString(),
        resolvedAt: new Date(start + 26 * HOUR).toISOString(),
        peakSeverity: 'critical',
      },
    ]);

    // `for: 5` needs six breaching hours in a row: there were five.
    expect((await owner.caller.alertRule.backtest({ teamId, definition: { ...rule, for: 5 } })).episodes).toEqual([]);
    // A shorter replay only sees the clean hours.
    expect(await owner.caller.alertRule.backtest({ teamId, definition: rule, days: 1 })).toMatchObject({ days: 1, episodes: [] });
  });

  it('limits rolling-1h replays to 7 days and refuses an invalid draft with the field at fault', async () => {
    const rolling = { ...rule, granularity: 'rolling_1h' as const };
    expect(await owner.caller.alertRule.backtest({ teamId, definition: rolling })).toMatchObject({ days: 7, episodes: [] });
    await expect(owner.caller.alertRule.backtest({ teamId, definition: rolling, days: 8 })).rejects.toMatchObject({
      cause: { details: { errors: [{ path: 'days', message: 'at most 7 days for rolling_1h rules' }] } },
    });
    await expect(
      owner.caller.alertRule.backtest({ teamId, definition: { ...rule, condition: { threshold: { kind: 'fixed', critical: 1 } } } }),
    ).rejects.toMatchObject({ cause: { details: { errors: [expect.objectContaining({ path: 'condition.op' })] } } });
  });
});

describe('validation errors over HTTP', () => {
  async function post(path: string, input: unknown) {
    const req = new Request(`http://localhost:3000/api/trpc/${path}`, {
      method: 'POST',
      headers: { cookie: owner.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ json: input }),
    });
    const res = await POST(req);
    return { status: res.status, body: (await res.json()) as { error?: { json: { data: { fieldErrors: unknown } } } } };
  }

  it('names the fields of a rule the data layer refused', async () => {
    const { status, body } = await post('alertRule.create', {
      teamId,
      definition: { name: 'Bad', metric: 'accuracy', granularity: 'day', column: { kind: 'one', name: 'x' }, condition: { op: '<', threshold: { kind: 'fixed' } }, channels: ['nope'] },
    });
    expect(status).toBe(400);
    const fields = body.error!.json.data.fieldErrors as { path: string }[];
    expect(fields.map((f) => f.path).sort()).toEqual(['column', 'condition.threshold']);
  });

  it('names the fields of an input that failed to parse', async () => {
    const { status, body } = await post('silence.create', { teamId, matchers: [], durationMinutes: 60 });
    expect(status).toBe(400);
    expect(body.error!.json.data.fieldErrors).toEqual([expect.objectContaining({ path: 'matchers' })]);
  });

  it('refuses text Postgres cannot store at its field, for any procedure, before it runs', async () => {
    const rule = await post('alertRule.create', { teamId, definition: { name: 'a\u0000b', metric: 'missing_share', granularity: 'hour', condition: { op: '>', threshold: { kind: 'fixed', critical: 0.2 } } } });
    expect(rule.status).toBe(400);
    expect(rule.body.error!.json.data.fieldErrors).toEqual([expect.objectContaining({ path: 'definition.name' })]);
    const workspace = await post('workspace.create', { name: 'x\ud800' });
    expect(workspace.status).toBe(400);
    expect(workspace.body.error!.json.data.fieldErrors).toEqual([expect.objectContaining({ path: 'name' })]);
    expect(await getDb().system.organization.count({ where: { name: 'x\ud800' } })).toBe(0);
  });
});
