import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot } from './support/browser.js';
import { startWeb, type RunningWeb } from './support/server.js';

describe('web app shell', () => {
  let web: RunningWeb;
  let browser: BrowserContext;
  beforeAll(async () => {
    [web, browser] = await Promise.all([startWeb(), openBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('renders the home page in Chromium', async () => {
    const page = await browser.newPage();
    const res = await page.goto(web.url);
    expect(res?.status()).toBe(200);
    await expect(page.locator('h1').first().textContent()).resolves.toContain('Vigil');
    expect(await page.title()).toBe('Vigil');
    await screenshot(page, 'shell-home');
  });
});
