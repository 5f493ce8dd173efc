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

  it('redirects every app page for a signed-out visitor to sign-in, logging no error', async () => {
    const paths = ['/', '/alerts', '/audit', '/channels', '/members', '/projects', '/projects/p1', '/rules', '/silences', '/teams'];
    for (const path of paths) {
      const res = await fetch(`${web.url}${path}`, { redirect: 'manual' });
      expect([res.status, new URL(res.headers.get('location') ?? '', web.url).pathname], path).toEqual([307, '/sign-in']);
    }
    // The sign-in page itself is served.
    expect((await fetch(`${web.url}/sign-in`, { redirect: 'manual' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(web.output()).not.toMatch(/Error/);
  });

  it('refuses to start in production without VIGIL_SECRET_KEY, naming it', async () => {
    await expect(startWeb({ VIGIL_SECRET_KEY: undefined })).rejects.toThrow(/Vigil web cannot start: invalid web configuration:\s+VIGIL_SECRET_KEY: is required in production/);
  });
});
