import { randomBytes } from 'node:crypto';
import { getDb } from '~/server/db';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApi } from './support/api.js';
import { screenshot } from './support/browser.js';
import type { RunningWeb } from './support/server.js';
import { startStack, submitSignUp, type Stack } from './support/stack.js';

/**
 * The first-day journey, in Chromium against the built app, the real API and the test database:
 * sign up → team → project → API key → ingest with it → revoke → refused; then a viewer is
 * invited and can look but not change anything; finally the owner resets their password.
 * The steps share state and run in order.
 */

const tag = randomBytes(4).toString('hex');
const owner = { name: 'Olivia Owner', email: `olivia-${tag}@example.test`, password: 'olivia-first-passphrase' };
const viewer = { name: 'Victor Viewer', email: `victor-${tag}@example.test`, password: 'victor-passphrase' };
const workspaceName = `Acme ${tag}`;

let web: RunningWeb;
let api: RunningApi;
let ownerBrowser: BrowserContext;
let viewerBrowser: BrowserContext;
let page: Page;
let projectUrl = '';
let projectId = '';
let apiKey = '';
let invitationLink = '';

const prediction = { predictions: [{ id: `journey-${tag}`, model: 'fraud', features: { amount: 12.5, country: 'DE' }, prediction: 1 }] };

function ingest(key: string) {
  return fetch(`${api.url}/v1/predictions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(prediction),
  });
}

let stack: Stack;
const go = (p: Page, path: string) => stack.go(p, path);

/** A tRPC mutation over HTTP with the browser's session cookie, as a hand-made request would be. */
async function trpcMutation(context: BrowserContext, path: string, input: unknown) {
  const res = await context.request.post(`${web.url}/api/trpc/${path}`, {
    headers: { 'content-type': 'application/json' },
    data: JSON.stringify({ json: input }),
  });
  const body = (await res.json()) as { error?: { json?: { data?: { code?: string } } } };
  return { status: res.status(), code: body.error?.json?.data?.code };
}

beforeAll(async () => {
  stack = await startStack();
  ({ api, web, page } = stack);
  [ownerBrowser, viewerBrowser] = stack.browsers;
});

afterAll(() => stack?.stop());

describe('first day in Vigil', () => {
  it('signs up and lands in a new workspace it owns', async () => {
    await go(page, '/sign-up');
    await screenshot(page, 'sign-up');
    await submitSignUp(page, web.url, owner, workspaceName);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(workspaceName);
    await page.getByText('No projects yet').waitFor();
    await screenshot(page, 'overview-empty');

    const cookies = await ownerBrowser.cookies(web.url);
    const session = cookies.find((c) => c.name === 'vigil.session_token');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  });

  it('creates a team', async () => {
    await go(page, '/teams');
    await page.getByRole('button', { name: 'New team' }).click();
    await page.getByLabel('Team name').fill('Risk ML');
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.getByRole('heading', { name: 'Risk ML' }).waitFor();
    await screenshot(page, 'teams');
  });

  it('creates a project under that team', async () => {
    await go(page, '/projects');
    await page.getByRole('button', { name: 'New project' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Fraud detection');
    await dialog.getByLabel('Team').selectOption({ label: 'Risk ML' });
    await dialog.getByLabel('Keep raw events for (days)').fill('45');
    await screenshot(page, 'project-create');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/[^/]+$/);
    projectUrl = new URL(page.url()).pathname;
    projectId = projectUrl.split('/').at(-1)!;
    await page.getByRole('heading', { name: 'Fraud detection' }).waitFor();
    await page.getByText('No API keys yet').waitFor();
    expect(await page.getByLabel('Keep raw events for (days)').inputValue()).toBe('45');
    await screenshot(page, 'project');
  });

  it('renames the project and changes its retention', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Fraud scoring');
    await page.getByLabel('Keep raw events for (days)').fill('60');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('heading', { name: 'Fraud scoring' }).waitFor();
    const stored = await getDb().system.project.findUniqueOrThrow({ where: { id: projectId } });
    expect(stored).toMatchObject({ name: 'Fraud scoring', retentionDays: 60 });
  });

  it('creates an API key and shows it once, with a copy button and the SDK snippet', async () => {
    await page.getByRole('button', { name: 'New API key' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('production scorer');
    await dialog.getByRole('checkbox', { name: /read/ }).check();
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const secret = dialog.getByTestId('api-key-secret');
    await secret.waitFor();
    apiKey = (await secret.textContent())!.trim();
    expect(apiKey).toMatch(/^vgl_[a-z0-9]{8}_/);
    await dialog.getByRole('button', { name: 'Copy key' }).waitFor();
    await expect(dialog.locator('pre').first().textContent()).resolves.toContain("import { Vigil } from '@vigil/sdk'");
    await expect(dialog.locator('pre').nth(1).textContent()).resolves.toContain(`${api.url}/v1/predictions`);
    await screenshot(page, 'api-key-created');
    await dialog.getByRole('button', { name: 'I have copied the key' }).click();

    const prefix = apiKey.split('_').slice(0, 2).join('_');
    const row = page.locator(`tr[data-key-prefix="${prefix}"]`);
    await row.getByText('active').waitFor();
    // The list shows the prefix only; the secret is gone for good.
    expect(await page.content()).not.toContain(apiKey);
    const stored = await getDb().system.apiKey.findUniqueOrThrow({ where: { prefix } });
    expect(stored.scopes.sort()).toEqual(['ingest', 'read']);
    expect(JSON.stringify(stored)).not.toContain(apiKey);
    await screenshot(page, 'api-keys');
  });

  it('ingests one prediction with the new key', async () => {
    const res = await ingest(apiKey);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it('revokes the key', async () => {
    const prefix = apiKey.split('_').slice(0, 2).join('_');
    const row = page.locator(`tr[data-key-prefix="${prefix}"]`);
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('revoked').waitFor();
    expect((await getDb().system.apiKey.findUniqueOrThrow({ where: { prefix } })).revokedAt).not.toBeNull();
    await screenshot(page, 'api-key-revoked');
  });

  it('refuses the same request with the revoked key', async () => {
    // Key lookups may be cached briefly by the API: the refusal must arrive within seconds.
    const deadline = Date.now() + 30_000;
    let status: number;
    for (;;) {
      const res = await ingest(apiKey);
      status = res.status;
      if (status === 401 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe(401);
  });

  it('invites a colleague as viewer with a link', async () => {
    await go(page, '/members');
    await page.getByLabel('Email', { exact: true }).fill(viewer.email);
    await page.getByLabel('Role', { exact: true }).selectOption('VIEWER');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    const link = page.getByTestId('invitation-link').locator('code');
    await link.waitFor();
    invitationLink = (await link.textContent())!.trim();
    expect(invitationLink).toMatch(new RegExp(`^${web.url}/invite/[A-Za-z0-9_-]{40,}$`));
    await screenshot(page, 'members');
  });

  it('lets the invited viewer create an account from the link and join', async () => {
    const v = await viewerBrowser.newPage();
    const res = await v.goto(invitationLink);
    expect(res?.status()).toBe(200);
    await v.getByRole('heading', { name: `Join ${workspaceName}` }).waitFor();
    await screenshot(v, 'invitation');
    await v.getByLabel('Your name').fill(viewer.name);
    expect(await v.getByLabel('Email').inputValue()).toBe(viewer.email);
    await v.getByLabel('Password').fill(viewer.password);
    await v.getByRole('button', { name: 'Create account and join' }).click();
    await v.waitForURL(`${web.url}/`);
    await expect(v.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(workspaceName);
    await v.getByText('Role: viewer').waitFor();
    await screenshot(v, 'viewer-overview');
    // The link worked once.
    await v.goto(invitationLink);
    await v.getByText('This invitation has already been used.').waitFor();
  });

  it('shows the viewer the project without any control that changes it', async () => {
    const v = await viewerBrowser.newPage();
    await go(v, '/projects');
    await v.getByRole('link', { name: 'Fraud scoring' }).waitFor();
    await v.getByText('You have read-only access to this workspace.').waitFor();
    expect(await v.getByRole('button', { name: 'New project' }).count()).toBe(0);
    await screenshot(v, 'viewer-projects');

    await go(v, projectUrl);
    await v.getByRole('heading', { name: 'Fraud scoring' }).waitFor();
    // API keys are listed to the team's maintainers and workspace admins only.
    await v.getByText(/Only maintainers of .* and workspace admins can see and manage this project’s API keys/).waitFor();
    expect(await v.getByText('revoked').count()).toBe(0);
    expect(await v.getByRole('button', { name: 'New API key' }).count()).toBe(0);
    expect(await v.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
    expect(await v.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
    expect(await v.getByLabel('Name', { exact: true }).isDisabled()).toBe(true);
    expect(await v.getByLabel('Keep raw events for (days)').isDisabled()).toBe(true);
    await screenshot(v, 'viewer-project');

    await go(v, '/teams');
    await v.getByRole('heading', { name: 'Risk ML' }).waitFor();
    expect(await v.getByRole('button', { name: 'New team' }).count()).toBe(0);
    expect(await v.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    expect(await v.getByRole('combobox', { name: /Team role/ }).count()).toBe(0);
    await screenshot(v, 'viewer-teams');

    await go(v, '/members');
    await v.getByText(owner.email).waitFor();
    expect(await v.getByRole('button', { name: 'Create invitation link' }).count()).toBe(0);
    expect(await v.getByRole('combobox', { name: /Role of/ }).count()).toBe(0);
    expect(await v.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    expect(await v.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await screenshot(v, 'viewer-members');
  });

  it('refuses every mutation the viewer sends to the API by hand', async () => {
    const teamId = (await getDb().system.project.findUniqueOrThrow({ where: { id: projectId } })).teamId;
    const ownerId = (await getDb().system.user.findUniqueOrThrow({ where: { email: owner.email } })).id;
    const keyId = (await getDb().system.apiKey.findFirstOrThrow({ where: { projectId } })).id;
    const attempts: [string, unknown][] = [
      ['project.update', { projectId, name: 'Defaced' }],
      ['project.create', { teamId, name: 'Sneaky', retentionDays: 7 }],
      ['apiKey.create', { projectId, name: 'stolen', scopes: ['ingest'] }],
      ['apiKey.revoke', { projectId, apiKeyId: keyId }],
      ['team.create', { name: 'Shadow team' }],
      ['team.setMember', { teamId, userId: ownerId, role: 'MEMBER' }],
      ['invitation.create', { email: 'friend@example.test', role: 'ADMIN' }],
      ['member.updateRole', { userId: ownerId, role: 'VIEWER' }],
      ['member.remove', { userId: ownerId }],
    ];
    for (const [path, input] of attempts) {
      expect(await trpcMutation(viewerBrowser, path, input), path).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    expect((await getDb().system.project.findUniqueOrThrow({ where: { id: projectId } })).name).toBe('Fraud scoring');
    // The same calls from the owner's session are accepted (the refusal is the role, not the request).
    expect((await trpcMutation(ownerBrowser, 'project.update', { projectId, name: 'Fraud scoring' })).status).toBe(200);
  });

  it('records the changes in the audit log for admins', async () => {
    await go(page, '/audit');
    for (const action of ['api_key.revoked', 'api_key.created', 'project.updated', 'project.created', 'team.created', 'invitation.created', 'invitation.accepted']) {
      await page.getByText(action, { exact: true }).first().waitFor();
    }
    await screenshot(page, 'audit-log');
  });

  it('gives the owner a BI login, password shown once, and revokes it', async () => {
    await go(page, '/');
    await page.getByRole('link', { name: 'BI access' }).click();
    await page.getByRole('heading', { name: 'BI access' }).waitFor();
    await page.getByText('This workspace has no BI login.').waitFor();
    await page.getByRole('button', { name: 'Create login' }).click();
    await page.getByRole('button', { name: 'Rotate password' }).waitFor();
    const shown = await page.locator('main').innerText();
    expect(shown).toMatch(/vigil_bi_/);
    await screenshot(page, 'bi-access');
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('This workspace has no BI login.').waitFor();
  });

  it('signs out, resets the password with the emailed link and signs in with the new one', async () => {
    await go(page, '/');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${web.url}/sign-in`);

    await go(page, '/forgot-password');
    await page.getByLabel('Email').fill(owner.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('a reset link is on its way').waitFor();
    await screenshot(page, 'forgot-password');

    // The link arrives by mail, through the local SMTP server of the stack.
    const mail = await stack.mail.waitFor(owner.email, 10_000);
    const link = /(https?:\/\/\S+\/api\/auth\/reset-password\/\S+)/.exec(mail.text)?.[1];
    expect(link).toBeDefined();
    expect(web.output()).not.toContain(new URL(link!).pathname.split('/').at(-1));
    await page.goto(link!);
    await page.waitForURL(/\/reset-password\?token=/);
    const newPassword = 'olivia-second-passphrase';
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Repeat the new password').fill(newPassword);
    await screenshot(page, 'reset-password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Your password was changed.').waitFor();

    await go(page, '/sign-in');
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong email or password.').waitFor();
    await page.getByLabel('Password').fill(newPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${web.url}/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(workspaceName);
    await screenshot(page, 'overview');
  });
});
