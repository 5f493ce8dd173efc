import { startTestApi, type RunningApi } from '@vigil/api/testing';
import { DEFAULT_WINDOW_GRACE_MS } from '@vigil/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '~/server/db';
import { missingAmountsRule, storeHourlyMissingShare } from '../../../test/support/alerting';
import { signUp, type TestUser } from '../../../test/support/sessions';

/**
 * The rule backtest is one use case (`backtestRule`): the web app's preview and
 * `POST /v1/alert-rules/backtest` answer the same for the same rule and data.
 */

const HOUR = 3_600_000;
const DAY = 86_400_000;

let api: RunningApi;
let owner: TestUser;
let teamId: string;
let key: string;

const rule = missingAmountsRule;

async function rest(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${api.url}/v1/alert-rules/backtest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  // The same grace period in both processes: the web app's default.
  api = await startTestApi({ WINDOW_GRACE_MS: String(DEFAULT_WINDOW_GRACE_MS) });
  owner = await signUp('parity-owner');
  const orgId = (await owner.caller.workspace.create({ name: 'Parity' })).id;
  teamId = (await owner.caller.team.list())[0]!.id;
  const projectId = (await owner.caller.project.create({ teamId, name: 'Payments', retentionDays: 30 })).id;
  key = (await owner.caller.apiKey.create({ projectId, name: 'ops', scopes: ['read', 'admin'] })).secret;
  const modelId = (await getDb().system.model.create({ data: { organizationId: orgId, projectId, slug: 'payments', name: 'Payments model' } })).id;
  // Two days of hours with one breaching stretch; the newest ended an hour ago or more, so it is
  // past its grace period whenever this runs.
  const start = Math.floor(Date.now() / HOUR) * HOUR - 49 * HOUR;
  await storeHourlyMissingShare(
    { organizationId: orgId, projectId, modelId, start },
    Array.from({ length: 48 }, (_, i) => (i >= 30 && i < 34 ? 0.5 : 0.05)),
  );
});

afterAll(() => api.close());

describe('the rule backtest over REST and tRPC', () => {
  it('gives the same episodes, windows and definition for the same rule and data', async () => {
    const viaRest = await rest({ definition: rule, days: 3 });
    const viaTrpc = await owner.caller.alertRule.backtest({ teamId, definition: rule, days: 3 });
    expect(viaRest.status).toBe(200);
    // Both answer in one shape; only the clock each read differs (`from`, `to`).
    const { from: restFrom, to: restTo, ...restRest } = viaRest.body;
    const { from: trpcFrom, to: trpcTo, ...trpcRest } = JSON.parse(JSON.stringify(viaTrpc)) as Record<string, unknown>;
    expect(restRest).toEqual(trpcRest);
    expect(Object.keys(viaRest.body).sort()).toEqual(Object.keys(viaTrpc).sort());
    for (const [from, to] of [[restFrom, restTo], [trpcFrom, trpcTo]] as const) expect(Date.parse(to as string) - Date.parse(from as string)).toBe(3 * DAY);
    expect(trpcRest).toMatchObject({ days: 3, windows: 48, episodes: [expect.objectContaining({ modelName: 'Payments model', peakSeverity: 'critical' })] });
  });

  it('refuses the same too-long replay at `days` over both', async () => {
    const rolling = { ...rule, granularity: 'rolling_1h' as const };
    const viaRest = await rest({ definition: rolling, days: 8 });
    expect(viaRest.status).toBe(400);
    expect(viaRest.body).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { errors: [{ path: 'days', message: 'at most 7 days for rolling_1h rules' }] } } });
    await expect(owner.caller.alertRule.backtest({ teamId, definition: rolling, days: 8 })).rejects.toMatchObject({
      cause: { details: { errors: [{ path: 'days', message: 'at most 7 days for rolling_1h rules' }] } },
    });
  });
});
