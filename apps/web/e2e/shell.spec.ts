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

  it('sends a signed-out visitor to the sign-in page', async () => {
    const page = await browser.newPage();
    const res = await page.goto(web.url);
    expect(res?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expect(page.locator('h1').first().textContent()).resolves.toContain('Vigil');
    expect(await page.title()).toBe('Sign in · Vigil');
    await screenshot(page, 'sign-in');
  });

  it('refuses to start in production without VIGIL_SECRET_KEY, naming it', async () => {
    await expect(startWeb({ VIGIL_SECRET_KEY: undefined })).rejects.toThrow(/Vigil web cannot start: invalid web configuration:\s+VIGIL_SECRET_KEY: is required in production/);
  });
});
