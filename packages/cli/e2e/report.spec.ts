import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelData, writeCsv } from '../test/support/data.js';
import { runCli } from '../test/support/run-cli.js';

const ARTIFACTS = resolve(import.meta.dirname, '../../../test-artifacts/cli');

describe('HTML report in Chromium', () => {
  let dir: string;
  let browser: BrowserContext;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-html-'));
    await Promise.all([writeCsv(join(dir, 'reference.csv'), modelData(100_000, 1)), writeCsv(join(dir, 'current.csv'), modelData(100_000, 2, 1))]);
    const run = await runCli([
      'report', '--reference', join(dir, 'reference.csv'), '--current', join(dir, 'current.csv'),
      '--target', 'churned', '--prediction', 'predicted', '--scores', 'score', '--html', join(dir, 'report.html'),
    ]);
    expect(run.code).toBe(0);
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('renders the column table and charts without any network request', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const failed: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('requestfailed', (r) => failed.push(r.url()));
    const url = pathToFileURL(join(dir, 'report.html')).href;
    await page.goto(url, { waitUntil: 'load' });

    await expect(page.locator('h1').textContent()).resolves.toBe('Data drift report');
    expect(await page.locator('#columns tbody tr').count()).toBe(7);
    expect(await page.locator('#columns tbody tr', { hasText: 'city' }).locator('.badge').textContent()).toMatch(/drift|no drift/);
    expect(await page.locator('svg.chart').count()).toBe(7);
    expect(await page.locator('svg.chart rect').count()).toBeGreaterThan(7 * 4);
    const box = await page.locator('svg.chart').first().boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(failed).toEqual([]);
    expect(requests).toEqual([url]);

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
  });
});
