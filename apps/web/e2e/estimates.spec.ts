import { MetricName } from '@vigil/contracts';
import { upsertMetricPoints, upsertModel, upsertModelVersion, type MetricPointInput } from '@vigil/db';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '~/server/db';
import { shots } from './support/browser.js';
import { startStack, submitSignUp, type Stack } from './support/stack.js';

/**
 * The estimated performance and multivariate drift charts in Chromium against the built app.
 * A binary classifier has a week of hourly points as the worker writes them: estimated F1 and
 * accuracy with their ±3 SE bands and the reference band, realized F1 for the first 150 hours
 * (the last two of them on few labels), and the PCA reconstruction error, drifted over the last
 * 18 hours. A second model has estimates and no label at all. Each view is saved at 1280 and
 * 1440 px in test-artifacts/web.
 */

const HOUR = 3_600_000;
const HOURS = 7 * 24;
const LABELLED = 150;
const DRIFTED_FROM = 150;
const tag = randomBytes(4).toString('hex');
const owner = { name: 'Esther Estimates', email: `esther-${tag}@example.test`, password: 'esther-estimates-passphrase' };

let stack: Stack;
let page: Page;
let modelId = '';
let unlabelledId = '';
const consoleErrors: string[] = [];

/** Estimated F1 falls after hour 120; the realized F1 follows it within its band while labels arrive. */
const estimatedF1 = (i: number) => (i < 120 ? 0.86 + 0.01 * Math.sin(i / 3) : 0.86 - 0.003 * (i - 120));
const realizedF1 = (i: number) => estimatedF1(i) + 0.012 * Math.sin(i * 1.7);
const reconstruction = (i: number) => (i < DRIFTED_FROM ? 1.02 + 0.06 * Math.sin(i / 2) : 1.4 + 0.02 * (i - DRIFTED_FROM));
const BAND = { samplingError: 0.012, thresholdLower: 0.8, thresholdUpper: 0.92 };
const THRESHOLDS = { lower: 0.85, upper: 1.25 };

function estimatePoints(at: { organizationId: string; projectId: string; modelId: string; modelVersionId: string }, first: number, labelled: number): MetricPointInput[] {
  const points: MetricPointInput[] = [];
  for (let i = 0; i < HOURS; i++) {
    const base = { ...at, granularity: 'hour' as const, windowStart: new Date(first + i * HOUR) };
    const f1 = estimatedF1(i);
    const accuracy = f1 + 0.05;
    const band = (v: number) => ({ ...BAND, lower: Math.max(0, v - 3 * BAND.samplingError), upper: Math.min(1, v + 3 * BAND.samplingError) });
    points.push({ ...base, metric: MetricName.estimatedF1, value: f1, details: band(f1) });
    points.push({ ...base, metric: MetricName.estimatedAccuracy, value: accuracy, details: { ...band(accuracy), thresholdLower: 0.85, thresholdUpper: 0.97 } });
    points.push({ ...base, metric: MetricName.predictionCount, value: 400 });
    if (i < labelled) {
      const labels = i >= labelled - 2 ? 12 : 360;
      points.push({ ...base, metric: MetricName.f1, value: realizedF1(i) });
      points.push({ ...base, metric: MetricName.accuracy, value: realizedF1(i) + 0.05 });
      points.push({ ...base, metric: MetricName.labelCount, value: labels });
      points.push({ ...base, metric: MetricName.labelCoverage, value: labels / 400 });
    }
    const error = reconstruction(i);
    points.push({ ...base, metric: MetricName.reconstructionError, value: error, details: { ...THRESHOLDS, drifted: error > THRESHOLDS.upper || error < THRESHOLDS.lower, samplingError: 0.03 } });
  }
  return points;
}

beforeAll(async () => {
  stack = await startStack();
  page = stack.page;
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
});

afterAll(() => stack?.stop());

describe('estimated performance and multivariate drift in the web app', () => {
  it('signs up and gets a classifier with a week of estimates, labels for the first 150 hours and a drifting feature set', async () => {
    await stack.go(page, '/sign-up');
    await submitSignUp(page, stack.web.url, owner, `Estimates ${tag}`);
    await stack.go(page, '/projects');
    await page.getByRole('button', { name: 'New project' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Risk');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/[^/]+$/);
    const project = await getDb().system.project.findUniqueOrThrow({ where: { id: page.url().split('/').at(-1)! } });
    const tenant = { organizationId: project.organizationId, projectId: project.id };
    const first = Math.floor(Date.now() / HOUR) * HOUR - (HOURS - 1) * HOUR;
    modelId = await upsertModel(getDb().pool, tenant, 'fraud');
    unlabelledId = await upsertModel(getDb().pool, tenant, 'churn');
    for (const [id, labelled] of [
      [modelId, LABELLED],
      [unlabelledId, 0],
    ] as const) {
      await getDb().system.model.update({ where: { id }, data: { task: 'binary' } });
      const modelVersionId = await upsertModelVersion(getDb().pool, tenant, id, 'v1');
      await upsertMetricPoints(getDb().pool, estimatePoints({ ...tenant, modelId: id, modelVersionId }, first, labelled));
    }
  });

  it('draws the estimate with its band, the reference band and the realized F1 on top, with a tooltip and a headline', async () => {
    await stack.go(page, `/models/${modelId}/performance`);
    const chart = page.getByTestId('estimate-chart');
    await chart.waitFor();
    // Every hour has its band; the realized F1 is drawn where labels arrived.
    expect(Number(await chart.getAttribute('data-band-buckets'))).toBe(HOURS);
    expect(Number(await chart.getAttribute('data-overlay-buckets'))).toBe(LABELLED);
    expect(await chart.locator('[data-band] path').count()).toBe(1);
    for (const line of ['value', 'overlay', 'refLower', 'refUpper']) expect(await chart.locator(`path[data-line="${line}"]`).count(), line).toBe(1);
    // The realized line joins every labelled hour; too many to dot, but the two on few labels are rings.
    expect((await chart.locator('path[data-line="overlay"]').getAttribute('d'))!.split('L').length).toBe(LABELLED);
    expect(await chart.locator('circle[data-realized]').count()).toBe(2);
    expect(await chart.locator('circle[data-provisional]').count()).toBe(2);
    // The band's shape spans the chart: its path has a vertex per hour on each edge.
    const band = (await chart.locator('[data-band] path').getAttribute('d'))!;
    expect(band.split('L').length).toBe(2 * HOURS);
    const panel = page.getByRole('region', { name: 'Estimated performance (CBPE)' });
    for (const text of ['estimated (CBPE)', 'band ±3 SE', 'realized', 'reference band', 'fewer than 30 labels']) await panel.locator('.chart-legend').getByText(text, { exact: true }).waitFor();
    // The newest hour has no labels: the headline gives the estimate and its band.
    const headline = page.getByTestId('estimate-headline');
    const newest = estimatedF1(HOURS - 1);
    await expect(headline.textContent()).resolves.toContain(`band ${String(Number((newest - 0.036).toPrecision(3)))}–${String(Number((newest + 0.036).toPrecision(3)))}`);
    await headline.getByText('no labels yet').waitFor();
    // A tooltip on a labelled hour: estimate, band, realized value and label coverage.
    const box = (await chart.boundingBox())!;
    const buckets = Number(await chart.getAttribute('data-points'));
    await page.mouse.move(box.x + 52 + (box.width - 68) * ((buckets - HOURS + 100) / (buckets - 1)), box.y + box.height / 2);
    const tooltip = page.locator('.chart-tooltip');
    await tooltip.waitFor();
    const text = (await tooltip.textContent())!;
    for (const part of ['estimated (CBPE): ', 'band ±3 SE: ', 'realized: ', 'label coverage: 90.0 %', 'reference band: 0.8–0.92']) expect(text).toContain(part);
    await shots(page, 'model-performance-estimate');
    await page.mouse.move(0, 0);
  });

  it('switches the estimated metric, keeping the choice in the URL', async () => {
    await page.getByLabel('Estimated metric').selectOption('estimated_accuracy');
    await page.waitForURL(/estimate=estimated_accuracy/);
    const headline = page.getByTestId('estimate-headline');
    await headline.getByText('Estimated accuracy').waitFor();
    await headline.getByText(String(Number((estimatedF1(HOURS - 1) + 0.05).toPrecision(3))), { exact: true }).waitFor();
    expect(Number(await page.getByTestId('estimate-chart').getAttribute('data-overlay-buckets'))).toBe(LABELLED);
  });

  it('draws the multivariate drift chart on the drift tab, its drifted hours marked', async () => {
    await page.getByRole('navigation', { name: 'Model' }).getByRole('link', { name: 'Data drift' }).click();
    await page.waitForURL(/\/drift/);
    const chart = page.getByTestId('multivariate-chart');
    await chart.waitFor();
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(HOURS);
    expect(Number(await chart.getAttribute('data-flagged-buckets'))).toBe(HOURS - DRIFTED_FROM);
    expect(await chart.locator('circle[data-drifted]').count()).toBe(HOURS - DRIFTED_FROM);
    expect(await chart.locator('rect[data-flagged-bucket]').count()).toBe(HOURS - DRIFTED_FROM);
    for (const line of ['value', 'refLower', 'refUpper']) expect(await chart.locator(`path[data-line="${line}"]`).count(), line).toBe(1);
    const headline = page.getByTestId('multivariate-headline');
    await headline.getByText('drift', { exact: true }).waitFor();
    await headline.getByText(`${HOURS - DRIFTED_FROM} of ${HOURS} hours drifted in the range`).waitFor();
    await page.getByRole('region', { name: 'Multivariate drift (PCA reconstruction error)' }).locator('.chart-legend').getByText('drifted', { exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
    await shots(page, 'model-drift-multivariate');
  });

  it('shows the estimate on the overview tab of a model without labels', async () => {
    await stack.go(page, `/models/${unlabelledId}`);
    const card = page.getByRole('region', { name: 'Performance (estimated F1)' });
    await card.getByTestId('estimate-chart').waitFor();
    await card.getByText('no labels yet').waitFor();
    expect(Number(await card.getByTestId('estimate-chart').getAttribute('data-overlay-buckets'))).toBe(0);
    await page.waitForLoadState('networkidle');
    await shots(page, 'model-overview-estimate');
  });

  it('logged no error in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
