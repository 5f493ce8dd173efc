import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startApi, type RunningApi } from './api.js';
import { openBrowser } from './browser.js';
import { SmtpReceiver } from '@vigil/testing/smtp';
import { startWeb, type RunningWeb } from './server.js';

/** What a browser journey runs against: the real API, the built app, and two browsers (two people). */
export interface Stack {
  api: RunningApi;
  web: RunningWeb;
  /** The SMTP server the web app sends its mail (password resets) to. */
  mail: SmtpReceiver;
  browsers: [BrowserContext, BrowserContext];
  /** A page of the first browser that accepts every confirm() dialog. */
  page: Page;
  /** Opens a path of the app, expects 200 and waits until the page is idle. */
  go(p: Page, path: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const api = await startApi();
  const mail = await new SmtpReceiver().start();
  const [web, first, second] = await Promise.all([
    startWeb({ API_URL: api.url, VIGIL_SMTP_URL: mail.url }),
    openBrowser(),
    openBrowser(),
  ]);
  const page = await first.newPage();
  page.on('dialog', (d) => void d.accept());
  return {
    api,
    web,
    mail,
    browsers: [first, second],
    page,
    async go(p, path) {
      const res = await p.goto(`${web.url}${path}`);
      expect(res?.status(), `GET ${path}`).toBe(200);
      await p.waitForLoadState('networkidle');
    },
    async stop() {
      await Promise.allSettled([first.close(), second.close()]);
      await Promise.allSettled([web.stop(), api.close(), mail.close()]);
    },
  };
}

/** Fills in and sends the sign-up form (already open in `page`) and waits for the new workspace. */
export async function submitSignUp(
  page: Page,
  webUrl: string,
  person: { name: string; email: string; password: string },
  workspaceName: string,
): Promise<void> {
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByLabel('Workspace name').fill(workspaceName);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${webUrl}/`);
}
