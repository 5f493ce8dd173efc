import { describe, expect, it } from 'vitest';
import { DEMO_MODELS, generateHour, generateReference, historyHour, historyHours, REFERENCE_ROWS, type DemoEvent } from './generate.js';
import { deliveryEta } from './models/delivery-eta.js';
import { fraudDetector } from './models/fraud-detector.js';
import { BASELINE, phaseAt } from './models/model.js';
import { NEW_PRODUCT, ticketRouter } from './models/ticket-router.js';
import { DAY_MS, floorHour, HISTORY_DAYS, HOUR_MS, storyAt } from './story.js';

const ANCHOR = Date.UTC(2026, 4, 12, 14, 37, 11);
const story = storyAt(ANCHOR);
const H = floorHour(ANCHOR);

/** Every event of the model's history hours in [from, to) (ms before the anchor's hour). */
function eventsBetween(model: typeof fraudDetector, fromAgo: number, toAgo: number): DemoEvent[] {
  return historyHours(story)
    .filter((h) => h >= H - fromAgo && h + HOUR_MS <= H - toAgo)
    .flatMap((h) => historyHour(model, h, story));
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

const share = (events: DemoEvent[], test: (e: DemoEvent) => boolean) => events.filter(test).length / events.length;
const accuracy = (events: DemoEvent[]) => share(events.filter((e) => e.label), (e) => e.prediction === e.label!.value);
const mae = (events: DemoEvent[]) => {
  const l = events.filter((e) => e.label);
  return l.reduce((s, e) => s + Math.abs((e.prediction as number) - (e.label!.value as number)), 0) / l.length;
};

describe('generators', () => {
  it('are deterministic: the same hour twice is the same events, another hour is not', () => {
    for (const m of DEMO_MODELS) {
      const h = H - 30 * HOUR_MS;
      const a = generateHour(m, h, story);
      expect(generateHour(m, h, story)).toEqual(a);
      // Within the hour, in time order, with unique ids.
      expect(a.every((e, i) => e.time >= h && e.time < h + HOUR_MS && (i === 0 || e.time >= a[i - 1]!.time))).toBe(true);
      expect(new Set(a.map((e) => e.id)).size).toBe(a.length);
      const b = generateHour(m, h + HOUR_MS, story);
      expect(b.map((e) => e.features)).not.toEqual(a.slice(0, b.length).map((e) => e.features));
      expect(new Set([...a, ...b].map((e) => e.id)).size).toBe(a.length + b.length);
    }
    expect(generateReference(fraudDetector)).toEqual(generateReference(fraudDetector));
  });

  it('split the anchor hour between the history and the simulator without a gap or an overlap', () => {
    for (const m of DEMO_MODELS) {
      const whole = generateHour(m, H, story);
      const history = historyHour(m, H, story);
      expect(history.length).toBeGreaterThan(0);
      expect(history.length).toBeLessThan(whole.length);
      expect(history.every((e) => e.time < ANCHOR)).toBe(true);
      expect(whole.slice(0, history.length)).toEqual(history);
      expect(whole.slice(history.length).every((e) => e.time >= ANCHOR)).toBe(true);
    }
  });

  it('give 30 days of hours with a daily swing, at least 500 events per hour for fraud-detector', () => {
    const hours = historyHours(story);
    expect(hours).toHaveLength(HISTORY_DAYS * 24 + 1);
    expect(hours[0]).toBe(H - HISTORY_DAYS * DAY_MS);
    for (const m of DEMO_MODELS) {
      const counts = hours.slice(0, -1).map((h) => historyHour(m, h, story).length);
      expect(Math.min(...counts)).toBeGreaterThanOrEqual(m === fraudDetector ? 500 : 400);
      expect(Math.max(...counts)).toBeLessThanOrEqual(1_000);
      const at = (hourOfDay: number) => counts.filter((_, i) => new Date(hours[i]!).getUTCHours() === hourOfDay);
      const peak = at(m.volume.peakHourUtc);
      const trough = at((m.volume.peakHourUtc + 12) % 24);
      expect(Math.min(...peak)).toBeGreaterThan(1.3 * Math.max(...trough));
    }
    // `scale` multiplies the volume.
    const h = H - 5 * HOUR_MS;
    expect(generateHour(fraudDetector, h, story, 0.01).length).toBe(Math.round(generateHour(fraudDetector, h, story).length / 100));
  });

  it('place the story on whole hours', () => {
    const e = story.episodes;
    for (const span of Object.values(e)) expect(span.from % HOUR_MS).toBe(0);
    expect(e.fraudCurrentDrift).toEqual({ from: H - 6 * HOUR_MS, to: Infinity });
    expect(e.fraudPastDrift).toEqual({ from: H - 16 * DAY_MS, to: H - 13 * DAY_MS });
    expect(e.ticketNewProduct).toEqual({ from: H - 4 * DAY_MS, to: Infinity });
    expect(e.etaMissingDistance).toEqual({ from: H - 12 * HOUR_MS, to: H - 8 * HOUR_MS });
    expect(phaseAt(H - 6 * HOUR_MS - 1, story).amountShift).toBe(0);
    expect(phaseAt(H - 6 * HOUR_MS, story).amountShift).toBeGreaterThan(0);
    // After the anchor the story goes on: the drift and the new product stay, distances are back.
    expect(phaseAt(ANCHOR + 3 * DAY_MS, story)).toMatchObject({ amountShift: phaseAt(H, story).amountShift, newProductShare: phaseAt(H, story).newProductShare, missingDistanceShare: 0 });
  });

  it('fraud-detector: amount shifts up days 16–13 back and over the last 6 hours, and nowhere else', () => {
    const amounts = (events: DemoEvent[]) => median(events.map((e) => e.features.amount as number));
    const before = amounts(eventsBetween(fraudDetector, 20 * DAY_MS, 17 * DAY_MS));
    const past = amounts(eventsBetween(fraudDetector, 16 * DAY_MS, 13 * DAY_MS));
    const between = amounts(eventsBetween(fraudDetector, 12 * DAY_MS, 7 * HOUR_MS));
    const now = amounts(eventsBetween(fraudDetector, 6 * HOUR_MS, 0));
    expect(past / before).toBeGreaterThan(1.45);
    expect(past / before).toBeLessThan(1.7);
    expect(now / before).toBeGreaterThan(1.5);
    expect(now / before).toBeLessThan(1.8);
    expect(Math.abs(between / before - 1)).toBeLessThan(0.05);
    // The other features do not move.
    const ages = (events: DemoEvent[]) => median(events.map((e) => e.features.account_age_days as number));
    expect(Math.abs(ages(eventsBetween(fraudDetector, 6 * HOUR_MS, 0)) / ages(eventsBetween(fraudDetector, 20 * DAY_MS, 17 * DAY_MS)) - 1)).toBeLessThan(0.1);
  });

  it('ticket-router: a new product from 4 days back, misrouted: accuracy falls by 15–25 points', () => {
    const before = eventsBetween(ticketRouter, 10 * DAY_MS, 4 * DAY_MS);
    const after = eventsBetween(ticketRouter, 4 * DAY_MS, 0);
    expect(share(before, (e) => e.features.product === NEW_PRODUCT)).toBe(0);
    const newShare = share(after, (e) => e.features.product === NEW_PRODUCT);
    expect(newShare).toBeGreaterThan(0.3);
    expect(newShare).toBeLessThan(0.4);
    const drop = accuracy(before) - accuracy(after);
    expect(accuracy(before)).toBeGreaterThan(0.84);
    expect(drop).toBeGreaterThan(0.15);
    expect(drop).toBeLessThan(0.25);
    // Multiclass scores: one probability per class, summing to ~1, highest for the routed class.
    for (const e of after.slice(0, 200)) {
      const scores = e.scores as Record<string, number>;
      expect(Object.values(scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 1);
      expect(Object.entries(scores).sort((a, b) => b[1] - a[1])[0]![0]).toBe(e.prediction);
    }
  });

  it('delivery-eta: distance_km missing for ~40 % of orders 12 to 8 hours back, and the error grows', () => {
    const episode = eventsBetween(deliveryEta, 12 * HOUR_MS, 8 * HOUR_MS);
    const around = [...eventsBetween(deliveryEta, 2 * DAY_MS, 12 * HOUR_MS), ...eventsBetween(deliveryEta, 8 * HOUR_MS, 0)];
    const missing = share(episode, (e) => e.features.distance_km === null);
    expect(missing).toBeGreaterThan(0.35);
    expect(missing).toBeLessThan(0.45);
    expect(share(around, (e) => e.features.distance_km === null)).toBe(0);
    expect(mae(episode)).toBeGreaterThan(1.3 * mae(around));
  });

  it('labels arrive with each model’s delay, so the newest predictions have none yet', () => {
    const delays = (m: typeof fraudDetector) => eventsBetween(m, 3 * DAY_MS, 2 * DAY_MS).filter((e) => e.label).map((e) => (e.label!.time - e.time) / HOUR_MS);
    const range = (xs: number[]) => [Math.min(...xs), Math.max(...xs)];
    const [fMin, fMax] = range(delays(fraudDetector));
    expect(fMin).toBeGreaterThanOrEqual(20);
    expect(fMax).toBeLessThanOrEqual(30);
    const [tMin, tMax] = range(delays(ticketRouter));
    expect(tMin).toBeGreaterThanOrEqual(24);
    expect(tMax).toBeLessThanOrEqual(48);
    const [eMin, eMax] = range(delays(deliveryEta));
    expect(eMin).toBeGreaterThan(0);
    expect(eMax).toBeLessThan(4);
    // Known by the anchor: none of the last 20 hours' fraud outcomes, none of the last day's routes.
    const dueBy = (events: DemoEvent[]) => events.filter((e) => e.label && e.label.time <= ANCHOR).length;
    expect(dueBy(eventsBetween(fraudDetector, 19 * HOUR_MS, 0))).toBe(0);
    expect(dueBy(eventsBetween(ticketRouter, DAY_MS - HOUR_MS, 0))).toBe(0);
    expect(dueBy(eventsBetween(ticketRouter, 4 * DAY_MS, 2 * DAY_MS))).toBeGreaterThan(0.85 * eventsBetween(ticketRouter, 4 * DAY_MS, 2 * DAY_MS).length);
  });

  it('draw each reference from the undrifted world, with prediction and label columns', () => {
    for (const m of DEMO_MODELS) {
      const rows = generateReference(m);
      expect(rows).toHaveLength(REFERENCE_ROWS);
      const features = m.columns.filter((c) => c.role === 'feature').map((c) => c.name);
      expect(Object.keys(rows[0]!).sort()).toEqual([...features, 'label', 'prediction'].sort());
      expect(rows.every((r) => r.label !== undefined && r.prediction !== undefined)).toBe(true);
    }
    expect(generateReference(ticketRouter).some((r) => r.product === NEW_PRODUCT)).toBe(false);
    expect(generateReference(deliveryEta).some((r) => r.distance_km === null)).toBe(false);
    expect(BASELINE).toEqual({ amountShift: 0, newProductShare: 0, missingDistanceShare: 0 });
  });
});
