import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ARTIFACTS = resolve(import.meta.dirname, '../../../../test-artifacts/web');

/** Debian's Chromium, headless, with the flags this sandbox needs (no network chatter). */
export async function openBrowser(): Promise<BrowserContext> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-chromium-'));
  return chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Saves the page at the two widths a team lead reads it at (`<name>-1280.png`, `<name>-1440.png`). */
export async function shots(p: Page, name: string): Promise<void> {
  for (const width of [1280, 1440]) {
    await p.setViewportSize({ width, height: 900 });
    await p.waitForTimeout(300); // charts re-measure their container
    await screenshot(p, `${name}-${width}`);
  }
  await p.setViewportSize({ width: 1280, height: 800 });
}
