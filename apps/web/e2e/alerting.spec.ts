import { alertFingerprint } from '@vigil/alerting';
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '~/server/db';
import { screenshot } from './support/browser.js';
import type { RunningWeb } from './support/server.js';
import { startStack, submitSignUp, type Stack } from './support/stack.js';

/**
 * Alerting in Chromium against the built app, the real API and the test database: a webhook
 * channel (its signing secret shown once), a rule with a validation error fixed in place and a
 * backtest preview, the team's notification policy, a test notification (pending: no worker
 * runs here), the alert from a notification link acknowledged and silenced, and a silence
 * created and expired. The steps share state and run in order.
 */

const tag = randomBytes(4).toString('hex');
const owner = { name: 'Ada Alerts', email: `ada-${tag}@example.test`, password: 'ada-alerting-passphrase' };
const viewer = { name: 'Vera Viewer', email: `vera-${tag}@example.test`, password: 'vera-viewer-passphrase' };
const workspaceName = `Alerting ${tag}`;

let web: RunningWeb;
let viewerBrowser: BrowserContext;
let page: Page;
let orgId = '';
let teamId = '';
let modelId = '';
let signingSecret = '';
let fingerprint = '';

let stack: Stack;
const go = (p: Page, path: string) => stack.go(p, path);

beforeAll(async () => {
  stack = await startStack();
  ({ web, page } = stack);
  viewerBrowser = stack.browsers[1];
});

afterAll(() => stack?.stop());

describe('alerting in the web app', () => {
  it('signs up and creates a project with a model', async () => {
    await go(page, '/sign-up');
    await submitSignUp(page, web.url, owner, workspaceName);
    for (const link of ['Alerts', 'Rules', 'Channels', 'Silences']) await page.getByRole('link', { name: link, exact: true }).waitFor();

    await go(page, '/projects');
    await page.getByRole('button', { name: 'New project' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Fraud detection');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/[^/]+$/);
    const project = await getDb().system.project.findUniqueOrThrow({ where: { id: page.url().split('/').at(-1)! } });
    orgId = project.organizationId;
    teamId = project.teamId;
    // The model a first prediction would create; the backtest below finds no metrics for it.
    modelId = (await getDb().system.model.create({ data: { organizationId: orgId, projectId: project.id, slug: 'fraud', name: 'fraud' } })).id;
  });

  it('creates a webhook channel and shows its signing secret once, with the verification recipe', async () => {
    await go(page, '/channels');
    await page.getByText('No channels yet').waitFor();
    await page.getByRole('button', { name: 'New channel' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Type').selectOption('webhook');
    await dialog.getByLabel('Name').fill('Risk hook');
    await dialog.getByLabel('URL').fill('https://hooks.example.test/vigil?token=t0ken-in-url');
    await screenshot(page, 'channel-create');
    await dialog.getByRole('button', { name: 'Create channel' }).click();

    const secret = dialog.getByTestId('signing-secret');
    await secret.waitFor();
    signingSecret = (await secret.textContent())!.trim();
    expect(signingSecret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    await dialog.getByRole('button', { name: 'Copy secret' }).waitFor();
    await dialog.getByText('X-Vigil-Signature: v1=<hex>').waitFor();
    await expect(dialog.locator('pre').textContent()).resolves.toContain("createHmac('sha256', secret).update(`${timestamp}.${rawBody}`)");
    await screenshot(page, 'channel-signing-secret');
    await dialog.getByRole('button', { name: 'I have copied the secret' }).click();

    const row = page.locator('tr[data-channel="Risk hook"]');
    await row.getByText('enabled').waitFor();
    await row.getByText('https://hooks.example.test/…').waitFor();
    // Gone for good: neither the list nor the stored row shows the secret or the URL's token.
    const html = await page.content();
    expect(html).not.toContain(signingSecret);
    expect(html).not.toContain('t0ken-in-url');
    const stored = await getDb().system.notificationChannel.findFirstOrThrow({ where: { organizationId: orgId, name: 'Risk hook' } });
    expect(JSON.stringify(stored)).not.toContain(signingSecret);
    expect(JSON.stringify(stored)).not.toContain('t0ken-in-url');
  });

  it('sends a test notification and shows it pending', async () => {
    const row = page.locator('tr[data-channel="Risk hook"]');
    await row.getByRole('button', { name: 'Send test notification' }).click();
    const status = page.getByTestId('test-delivery');
    await status.getByText('Pending: the worker sends it within seconds.').waitFor();
    expect(await status.getAttribute('data-status')).toBe('pending');
    const channel = await getDb().system.notificationChannel.findFirstOrThrow({ where: { organizationId: orgId, name: 'Risk hook' } });
    expect(await getDb().system.notificationDelivery.findMany({ where: { channelId: channel.id }, select: { kind: true, status: true } })).toEqual([
      { kind: 'test', status: 'pending' },
    ]);
    await screenshot(page, 'channel-test-pending');

    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByText('disabled').waitFor();
    await row.getByRole('button', { name: 'Enable' }).click();
    await row.getByText('enabled').waitFor();
  });

  it('creates a rule: shows the server’s validation error at the field, previews the backtest, saves', async () => {
    await go(page, '/rules');
    await page.getByRole('button', { name: 'New rule' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Amount drift');
    await dialog.getByLabel('Metric').selectOption('drift_detected');
    await dialog.getByLabel('Columns').selectOption('one');
    await dialog.getByLabel('Column name').fill('amount');
    await dialog.getByLabel('Granularity').selectOption('hour');
    await dialog.getByRole('checkbox', { name: /Risk hook/ }).check();
    // A fixed threshold without values: refused by the server, the message sits under the field.
    await dialog.getByRole('button', { name: 'Create rule' }).click();
    await dialog.getByText('give a warning or a critical threshold (or both)').waitFor();
    await screenshot(page, 'rule-validation-error');

    await dialog.getByLabel('Threshold').selectOption('drift_verdict');
    await dialog.getByRole('button', { name: 'Preview backtest' }).click();
    const result = dialog.getByTestId('backtest-result');
    await result.getByText('Would have fired 0 times in the last 30 days').waitFor();
    await result.getByText(/No data of this metric in the team’s projects/).waitFor();
    await screenshot(page, 'rule-backtest');
    await dialog.getByRole('button', { name: 'Create rule' }).click();

    const row = page.locator('tr[data-rule="Amount drift"]');
    await row.getByText('drift test verdict').waitFor();
    await row.getByText('Risk hook').waitFor();
    await row.getByText('column amount').waitFor();
    const rule = await getDb().system.alertRule.findFirstOrThrow({ where: { organizationId: orgId } });
    expect(rule.definition).toMatchObject({ metric: 'drift_detected', column: { kind: 'one', name: 'amount' }, condition: { threshold: { kind: 'drift_verdict' } } });
    await screenshot(page, 'rules');
  });

  it('changes the team’s notification policy', async () => {
    const policy = page.getByTestId(`policy-${teamId}`);
    await policy.getByLabel('Group wait (seconds)').fill('10');
    await policy.getByRole('checkbox', { name: 'rule' }).check();
    await policy.getByRole('button', { name: 'Save policy' }).click();
    await policy.getByText('Saved.').waitFor();
    await policy.getByText(/Grouped by rule, model · first notification after 10 s/).waitFor();
    const team = await getDb().system.team.findUniqueOrThrow({ where: { id: teamId } });
    expect(team.notificationPolicy).toMatchObject({ groupBy: ['rule', 'model'], groupWaitSeconds: 10 });
  });

  it('highlights the alert a notification links to; acknowledges and silences it', async () => {
    const rule = await getDb().system.alertRule.findFirstOrThrow({ where: { organizationId: orgId } });
    const labels = { model: modelId, version: '', column: 'amount', segment: '' };
    fingerprint = alertFingerprint(rule.id, labels);
    // What the worker writes when the rule fires.
    await getDb().system.alert.create({
      data: { organizationId: orgId, ruleId: rule.id, fingerprint, labels, state: 'firing', severity: 'critical', value: 1, startedAt: new Date(), modelId, projectId: null },
    });

    await go(page, `/alerts?fingerprint=${fingerprint}`);
    const row = page.locator(`tr[data-fingerprint="${fingerprint}"]`);
    expect(await row.getAttribute('data-highlighted')).toBe('true');
    await row.getByText('firing').waitFor();
    await row.getByText('critical').waitFor();
    await row.getByText('Amount drift').waitFor();
    await screenshot(page, 'alerts-highlighted');

    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await row.getByText('acknowledged').waitFor();
    await row.getByRole('button', { name: 'Silence 2 h' }).click();
    await page.getByText(/Silenced “Amount drift” on fraud for 2 h/).waitFor();
    await row.getByText('silenced', { exact: true }).waitFor();
    const silence = await getDb().system.silence.findFirstOrThrow({ where: { organizationId: orgId } });
    expect(silence.matchers).toEqual([
      { name: 'rule', op: '=', value: rule.id },
      { name: 'model', op: '=', value: modelId },
    ]);
    expect(silence.endsAt.getTime() - silence.startsAt.getTime()).toBe(2 * 3_600_000);
    await screenshot(page, 'alerts-silenced');
  });

  it('shows the firing alert on the overview, linking to it on the Alerts page', async () => {
    await go(page, '/');
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Active alerts' }) });
    const row = card.locator(`tr[data-fingerprint="${fingerprint}"]`);
    await row.getByText('firing').waitFor();
    await row.getByText('Amount drift').waitFor();
    await card.getByText('1 firing').waitFor();
    await screenshot(page, 'overview-alerts');
    await row.getByRole('link').click();
    await page.waitForURL(`${web.url}/alerts?fingerprint=${fingerprint}`);
    expect(await page.locator(`tr[data-fingerprint="${fingerprint}"]`).getAttribute('data-highlighted')).toBe('true');
  });

  it('creates a silence and expires it', async () => {
    await go(page, '/silences');
    const active = page.locator('section', { has: page.getByRole('heading', { name: 'Active and upcoming' }) });
    await active.getByText('rule = “Amount drift”').waitFor();

    await page.getByRole('button', { name: 'New silence' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Label 1').selectOption('model');
    await dialog.getByLabel('Operator 1').selectOption('=~');
    await dialog.getByLabel('Value 1').fill('fraud.*');
    await dialog.getByLabel('Duration').selectOption('60');
    await dialog.getByLabel('Comment').fill('retraining the fraud models');
    await screenshot(page, 'silence-create');
    await dialog.getByRole('button', { name: 'Create silence' }).click();

    const created = active.locator('tr', { hasText: 'retraining the fraud models' });
    await created.getByText('model =~ "fraud.*"').waitFor();
    await screenshot(page, 'silences');
    await created.getByRole('button', { name: 'Expire' }).click();

    const expired = page.locator('section', { has: page.getByRole('heading', { name: 'Expired' }) });
    await expired.locator('tr', { hasText: 'retraining the fraud models' }).waitFor();
    expect(await active.locator('tr', { hasText: 'retraining the fraud models' }).count()).toBe(0);
    const stored = await getDb().system.silence.findFirstOrThrow({ where: { organizationId: orgId, comment: 'retraining the fraud models' } });
    expect(stored.endsAt.getTime()).toBeLessThanOrEqual(Date.now());
    await screenshot(page, 'silences-expired');
  });

  it('shows a viewer in the team everything, without a control that changes it', async () => {
    await go(page, '/members');
    await page.getByLabel('Email', { exact: true }).fill(viewer.email);
    await page.getByLabel('Role', { exact: true }).selectOption('VIEWER');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    const link = (await page.getByTestId('invitation-link').locator('code').textContent())!.trim();
    const v = await viewerBrowser.newPage();
    await v.goto(link);
    await v.getByLabel('Your name').fill(viewer.name);
    await v.getByLabel('Password').fill(viewer.password);
    await v.getByRole('button', { name: 'Create account and join' }).click();
    await v.waitForURL(`${web.url}/`);
    // A team member reads the team's alerting (viewers cannot maintain a team).
    const viewerId = (await getDb().system.user.findUniqueOrThrow({ where: { email: viewer.email } })).id;
    await getDb().system.teamMember.create({ data: { organizationId: orgId, teamId, userId: viewerId, role: 'MEMBER' } });

    const none = async (name: string) => expect(await v.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    await go(v, '/rules');
    await v.locator('tr[data-rule="Amount drift"]').getByText('drift test verdict').waitFor();
    await v.getByText(/Grouped by rule, model/).waitFor();
    for (const name of ['New rule', 'Edit', 'Delete', 'Save policy']) await none(name);
    await screenshot(v, 'viewer-rules');

    await go(v, '/channels');
    await v.locator('tr[data-channel="Risk hook"]').getByText('enabled').waitFor();
    for (const name of ['New channel', 'Send test notification', 'Disable', 'Delete']) await none(name);
    await v.getByRole('button', { name: 'Deliveries' }).click();
    await v.getByRole('dialog').getByText('test', { exact: true }).waitFor();
    await screenshot(v, 'viewer-channel-deliveries');

    await go(v, `/alerts?fingerprint=${fingerprint}`);
    await v.locator(`tr[data-fingerprint="${fingerprint}"]`).getByText('acknowledged').waitFor();
    for (const name of ['Acknowledge', 'Silence 2 h']) await none(name);

    await go(v, '/silences');
    await v.getByText('rule = “Amount drift”').waitFor();
    for (const name of ['New silence', 'Expire']) await none(name);
    await screenshot(v, 'viewer-silences');
  });

  it('records the changes in the audit log', async () => {
    await go(page, '/audit');
    for (const action of ['channel.created', 'channel.updated', 'alert_rule.created', 'notification_policy.updated', 'alert.acknowledged', 'silence.created', 'silence.expired']) {
      await page.getByText(action, { exact: true }).first().waitFor();
    }
  });
});
