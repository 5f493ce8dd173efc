import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createPrivateTestDatabase, createTestDb, TEST_REDIS_URL, type Db, type PrivateTestDatabase } from '@vigil/db/testing';
import { seedDemo, type SeedResult } from '@vigil/demo';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from './support/api.js';
import { openBrowser, shots } from './support/browser.js';
import { startWeb, type RunningWeb } from './support/server.js';

/**
 * The monitoring pages in Chromium against the built app, on the demo workspace: the seed writes
 * 30 days of the three models' story (at a tenth of its volume) into a database of this suite's
 * own, the built worker streams it into profiles and metrics and closes the past hours, then an owner reads the overview
 * and the fraud model's tabs, a viewer its settings, and a stranger from another workspace
 * nothing. Every page and tab is saved at 1280 and 1440 px in test-artifacts/web.
 */

const tag = randomBytes(4).toString('hex');
const WORKER_MAIN = resolve(import.meta.dirname, '../../worker/dist/main.js');
const viewer = { name: 'Vic Viewer', email: `vic-${tag}@example.test`, password: 'vic-viewer-passphrase' };
const stranger = { name: 'Sam Stranger', email: `sam-${tag}@example.test`, password: 'sam-stranger-passphrase' };

let database: PrivateTestDatabase;
let db: Db;
let api: RunningApi;
let web: RunningWeb;
let worker: ChildProcess;
let workerOutput = '';
let seed: SeedResult;
const browsers: BrowserContext[] = [];
let page: Page;
const consoleErrors: string[] = [];

async function go(p: Page, path: string): Promise<void> {
  const res = await p.goto(`${web.url}${path}`);
  expect(res?.status(), `GET ${path}`).toBe(200);
  await p.waitForLoadState('networkidle');
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${workerOutput.slice(-2_000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function signIn(p: Page, who: { email: string; password: string }): Promise<void> {
  await go(p, '/sign-in');
  await p.getByLabel('Email').fill(who.email);
  await p.getByLabel('Password').fill(who.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL(`${web.url}/`);
}

beforeAll(async () => {
  // A database of its own: the worker's sweep merges every backlog of the database it runs on.
  database = await createPrivateTestDatabase('web');
  db = createTestDb(database.url);
  seed = await seedDemo(db, { workspace: `Demo ${tag}`, email: `demo-${tag}@example.test`, scale: 0.1 });
  api = await startApi({ DATABASE_URL: database.url });
  worker = spawn(process.execPath, [WORKER_MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `vw-${tag}`,
      LOG_LEVEL: 'warn',
      WORKER_SCHEDULES: 'stream-sweep,close-windows,alert-sweep',
      VIGIL_SECRET_KEY: 'e2e-channel-secret-key-long-enough-0123456789',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout?.on('data', (d: Buffer) => (workerOutput += d.toString()));
  worker.stderr?.on('data', (d: Buffer) => (workerOutput += d.toString()));
  const [w, first, second, third] = await Promise.all([startWeb({ API_URL: api.url, DATABASE_URL: database.url }), openBrowser(), openBrowser(), openBrowser()]);
  web = w;
  browsers.push(first, second, third);
  page = await first.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  // The worker streams the month of history (the stream sweep runs each minute, at once on start).
  const models = Object.values(seed.models);
  await until('the worker to merge the demo history', 240_000, async () => {
    const { rows } = await db.pool.query<{ id: string; n: string }>(`SELECT model_version_id AS id, events_merged::text AS n FROM stream_state WHERE model_version_id = ANY($1)`, [models.map((m) => m.versionId)]);
    const merged = new Map(rows.map((r) => [r.id, Number(r.n)]));
    return models.every((m) => (merged.get(m.versionId) ?? 0) >= m.events);
  });
  // … and closes the past hours exactly, joining the labels (performance is computed there).
  await until('the worker to close the past hours', 240_000, async () => {
    const { rows } = await db.pool.query<{ open: string; all: string }>(
      `SELECT count(*) FILTER (WHERE closed_at IS NULL AND window_start < now() - interval '3 hours')::text AS open, count(*)::text AS all
       FROM window_state WHERE model_version_id = ANY($1) AND granularity = 'hour'`,
      [models.map((m) => m.versionId)],
    );
    return Number(rows[0]!.all) > 0 && Number(rows[0]!.open) === 0;
  });
}, 300_000);

afterAll(async () => {
  await Promise.allSettled(browsers.map((b) => b.close()));
  await Promise.allSettled([web?.stop(), api?.close()]);
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGTERM');
    await exited;
  }
  await db?.close();
  await database?.drop();
});

describe('monitoring in the web app, on the demo workspace', () => {
  it('lists the three models on the overview, the drifting one flagged with its reason', async () => {
    await signIn(page, seed.credentials);
    const rows = page.locator('tr[data-model]');
    await rows.nth(2).waitFor();
    expect(await rows.count()).toBe(3);
    expect((await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-model')))).sort()).toEqual(['delivery-eta', 'fraud-detector', 'ticket-router']);
    const fraud = page.locator('tr[data-model="fraud-detector"]');
    expect(['critical', 'warning']).toContain(await fraud.getAttribute('data-health'));
    // Why, in the badge's title: the drifted feature by name (at a tenth of the demo's volume an
    // hour is small enough that another feature may drift by chance too).
    await expect(fraud.locator('span[data-health]').getAttribute('title')).resolves.toMatch(/features drifted \((?:[\w, ]+, )?amount[,)]/);
    await shots(page, 'overview');
  });

  it('opens the model page from the overview, with its charts', async () => {
    await page.locator('tr[data-model="fraud-detector"] a.model-link').click();
    await page.waitForURL(/\/models\/[^/?]+/);
    expect(page.url()).toContain(`/models/${seed.models['fraud-detector']!.id}`);
    await page.getByTestId('time-series-chart').first().waitFor();
    await page.waitForLoadState('networkidle');
    await shots(page, 'model-overview');
  });

  it('lists the drifted feature first on the drift tab and shows its distribution', async () => {
    await page.getByRole('navigation', { name: 'Model' }).getByRole('link', { name: 'Data drift' }).click();
    await page.waitForURL(/\/drift/);
    const rows = page.locator('tr[data-column]');
    await rows.first().waitFor();
    // Drifted features first: `amount` (the injected drift) among them. At a tenth of the demo's
    // volume another feature may drift by chance in the newest hour, and rank above it.
    const verdicts = await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-column'), tr.getAttribute('data-drifted')] as const));
    const drifted = verdicts.filter(([, d]) => d === 'true').map(([c]) => c);
    expect(verdicts.slice(0, drifted.length).map(([c]) => c)).toEqual(drifted);
    expect(drifted).toContain('amount');
    const amount = page.locator('tr[data-column="amount"]');
    await amount.getByRole('button').first().click();
    await page.getByTestId('distribution-chart').waitFor();
    await page.waitForLoadState('networkidle');
    await shots(page, 'model-drift');
  });

  it('shows the metric chart and the confusion matrix on the performance tab', async () => {
    await page.getByRole('navigation', { name: 'Model' }).getByRole('link', { name: 'Performance' }).click();
    await page.waitForURL(/\/performance/);
    await page.getByTestId('time-series-chart').first().waitFor();
    await page.getByTestId('confusion-matrix').waitFor();
    expect(Number(await page.getByTestId('time-series-chart').first().getAttribute('data-points'))).toBeGreaterThan(1);
    await page.waitForLoadState('networkidle');
    await shots(page, 'model-performance');
  });

  it('keeps the time range in the URL, and redraws the chart for it', async () => {
    const chart = page.getByTestId('time-series-chart').first();
    const before = await chart.getAttribute('data-points');
    await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '30 days' }).click();
    await page.waitForURL(/range=30d/);
    await until('the 30-day button to show as chosen', 5_000, async () => (await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '30 days' }).getAttribute('aria-pressed')) === 'true');
    await until('the chart to redraw for 30 days', 15_000, async () => (await chart.getAttribute('data-points')) !== before);
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(Number(before));
    // The range survives a reload and moving to another tab.
    await page.reload();
    await page.getByRole('navigation', { name: 'Model' }).getByRole('link', { name: 'Data quality' }).click();
    await page.waitForURL(/\/quality\?.*range=30d/);
    await page.getByTestId('time-series-chart').first().waitFor();
    await page.waitForLoadState('networkidle');
    await shots(page, 'model-quality');
  });

  it('renders the segments, versions, alerts and settings tabs and the datasets page', async () => {
    for (const [tab, path] of [
      ['Segments', 'segments'],
      ['Versions', 'versions'],
      ['Alerts', 'alerts'],
      ['Settings', 'settings'],
    ] as const) {
      await page.getByRole('navigation', { name: 'Model' }).getByRole('link', { name: tab }).click();
      await page.waitForURL(new RegExp(`/${path}`));
      await page.locator('main').getByText(/\S/).first().waitFor();
      await page.waitForLoadState('networkidle');
      await shots(page, `model-${path}`);
    }
    expect(await page.locator('[data-readonly]').getAttribute('data-readonly')).toBe('false');
    await go(page, '/datasets');
    await page.getByText('training set').first().waitFor();
    await shots(page, 'datasets');
  });

  it('downloads the one-off report as HTML holding the model’s columns, and refuses a bad window', async () => {
    const modelId = seed.models['fraud-detector']!.id;
    const to = new Date();
    const from = new Date(to.getTime() - 24 * 3_600_000);
    const res = await page.request.get(`${web.url}/api/models/${modelId}/report?from=${from.toISOString()}&to=${to.toISOString()}&against=reference`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^text\/html/);
    expect(res.headers()['content-disposition']).toMatch(/attachment/);
    const html = await res.text();
    for (const column of ['amount', 'prediction']) expect(html).toContain(column);
    const bad = await page.request.get(`${web.url}/api/models/${modelId}/report?from=${to.toISOString()}&to=${from.toISOString()}&against=reference`);
    expect(bad.status()).toBe(400);
    await expect(bad.text()).resolves.toMatch(/from|to/);
    const wrongType = await page.request.post(`${web.url}/api/models/${modelId}/reference`, { headers: { 'content-type': 'text/plain' }, data: 'amount\n1\n' });
    expect(wrongType.status()).toBe(415);
  });

  it('shows a viewer the settings read-only, and refuses the viewer an upload', async () => {
    await go(page, '/members');
    await page.getByLabel('Email', { exact: true }).fill(viewer.email);
    await page.getByLabel('Role', { exact: true }).selectOption('VIEWER');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    const link = (await page.getByTestId('invitation-link').locator('code').textContent())!.trim();
    const v = await browsers[1]!.newPage();
    await v.goto(link);
    await v.getByLabel('Your name').fill(viewer.name);
    await v.getByLabel('Password').fill(viewer.password);
    await v.getByRole('button', { name: 'Create account and join' }).click();
    await v.waitForURL(`${web.url}/`);
    const modelId = seed.models['fraud-detector']!.id;
    await go(v, `/models/${modelId}/settings`);
    const settings = v.locator('[data-readonly]');
    await settings.waitFor();
    expect(await settings.getAttribute('data-readonly')).toBe('true');
    await v.getByText('You can read this model’s settings').waitFor();
    expect(await v.getByLabel('Name').isDisabled()).toBe(true);
    await shots(v, 'model-settings-viewer');
    const upload = await v.request.post(`${web.url}/api/models/${modelId}/reference?name=mine`, { headers: { 'content-type': 'text/csv' }, data: 'amount\n1\n' });
    expect(upload.status()).toBe(403);
  });

  it('shows a stranger from another workspace nothing of the model', async () => {
    const s = await browsers[2]!.newPage();
    await go(s, '/sign-up');
    await s.getByLabel('Your name').fill(stranger.name);
    await s.getByLabel('Email').fill(stranger.email);
    await s.getByLabel('Password').fill(stranger.password);
    await s.getByLabel('Workspace name').fill(`Elsewhere ${tag}`);
    await s.getByRole('button', { name: 'Create account' }).click();
    await s.waitForURL(`${web.url}/`);
    await s.getByText('No projects yet').waitFor();
    const modelId = seed.models['fraud-detector']!.id;
    const to = new Date();
    const report = await s.request.get(`${web.url}/api/models/${modelId}/report?from=${new Date(to.getTime() - 3_600_000).toISOString()}&to=${to.toISOString()}&against=reference`);
    expect(report.status()).toBe(404);
    const upload = await s.request.post(`${web.url}/api/models/${modelId}/reference?name=mine`, { headers: { 'content-type': 'text/csv' }, data: 'amount\n1\n' });
    expect(upload.status()).toBe(404);
    // The page of another workspace's model is the not-found page, with nothing of the model.
    await s.goto(`${web.url}/models/${modelId}`);
    await s.getByText('This page could not be found.').waitFor();
    expect(await s.getByText('Fraud detector').count()).toBe(0);
  });

  it('logged no error in the owner’s browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
