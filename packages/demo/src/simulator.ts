import { slugify } from '@vigil/db';
import { Vigil, type VigilStats } from '@vigil/sdk';
import { DEMO_MODELS, generateHour, type DemoEvent } from './generate.js';
import type { DemoModel } from './models/model.js';
import { floorHour, HOUR_MS, storyAt, type Story } from './story.js';

export interface SimulatorOptions {
  /** Base URL of the Vigil API, e.g. http://localhost:4000 */
  endpoint: string;
  /** project slug → API key with the ingest scope (the credentials file's `apiKeys`) */
  keys: Record<string, string>;
  /** where the seeded history ends (epoch ms): the credentials file's `seededAt` */
  anchor: number;
  /** volume multiplier, as the seed's (default 1: the story's hourly volumes) */
  scale?: number;
  /** On start, events missed while no simulator ran are sent for at most this far back (default 24 h). */
  catchUpMs?: number;
  /** How often events that became due are handed to the SDK (default 1 s). */
  tickMs?: number;
  /** The clock (tests). */
  now?: () => number;
  log?: (line: string) => void;
}

export interface SimulatorStats {
  predictions: number;
  labels: number;
  /** the SDK clients' counters, summed */
  delivery: Pick<VigilStats, 'accepted' | 'duplicates' | 'queued' | 'dropped' | 'retries'>;
}

export interface Simulator {
  /** Sends what is queued and stops; resolves with the counters. */
  stop(opts?: { timeoutMs?: number }): Promise<SimulatorStats>;
  stats(): SimulatorStats;
}

interface PendingLabel {
  id: string;
  time: number;
  label: string | number;
}

/** The longest a demo label takes to arrive (ticket-router: 48 h), plus a margin. */
const MAX_LABEL_DELAY_MS = 50 * HOUR_MS;
const SUMMARY_EVERY_MS = 10 * 60_000;

/**
 * Keeps the demo alive: each model's events are sent through the SDK as their time comes, and
 * each label when it is due — the same deterministic world the seed wrote the history of,
 * continued past the anchor (fraud-detector's drift goes on, the new product keeps being
 * misrouted). Started after a pause it first catches up: the events of the last `catchUpMs`,
 * and the labels of seeded predictions that fell due meanwhile; ids already stored are counted
 * once by the API.
 */
export function startSimulator(opts: SimulatorOptions): Simulator {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  const scale = opts.scale ?? 1;
  const story = storyAt(opts.anchor);
  const started = now();
  const fillFrom = Math.max(opts.anchor, started - (opts.catchUpMs ?? 24 * HOUR_MS));

  const runs: ModelRun[] = [];
  for (const model of DEMO_MODELS) {
    const key = opts.keys[slugify(model.project)];
    if (!key) {
      log(`${model.slug}: no API key for project "${model.project}" in the credentials, not simulated`);
      continue;
    }
    const client = new Vigil({ apiKey: key, endpoint: opts.endpoint, exitHooks: false, maxQueueSize: 500_000 });
    runs.push(new ModelRun(model, story, scale, client, fillFrom));
  }

  const totals = () => runs.reduce((s, r) => ({ predictions: s.predictions + r.predictions, labels: s.labels + r.labels }), { predictions: 0, labels: 0 });
  for (const r of runs) r.tick(started);
  const first = totals();
  log(
    `simulating ${runs.map((r) => r.model.slug).join(', ')} from ${new Date(fillFrom).toISOString()}: ` +
      `${first.predictions} predictions and ${first.labels} labels to catch up`,
  );

  let lastSummary = started;
  let last = first;
  const timer = setInterval(() => {
    const t = now();
    for (const r of runs) r.tick(t);
    if (t - lastSummary >= SUMMARY_EVERY_MS) {
      const s = totals();
      log(`sent ${s.predictions - last.predictions} predictions and ${s.labels - last.labels} labels in the last ${Math.round((t - lastSummary) / 60_000)} min`);
      lastSummary = t;
      last = s;
    }
  }, opts.tickMs ?? 1_000);

  const stats = (): SimulatorStats => {
    const delivery = { accepted: 0, duplicates: 0, queued: 0, retries: 0, dropped: { invalid: 0, queueFull: 0, rejected: 0, failed: 0 } };
    for (const r of runs) {
      const s = r.client.stats();
      delivery.accepted += s.accepted;
      delivery.duplicates += s.duplicates;
      delivery.queued += s.queued;
      delivery.retries += s.retries;
      for (const k of Object.keys(delivery.dropped) as (keyof VigilStats['dropped'])[]) delivery.dropped[k] += s.dropped[k];
    }
    return { ...totals(), delivery };
  };

  let stopping: Promise<SimulatorStats> | null = null;
  return {
    stats,
    stop({ timeoutMs = 10_000 } = {}) {
      stopping ??= (async () => {
        clearInterval(timer);
        await Promise.all(runs.map((r) => r.client.shutdown({ timeoutMs })));
        return stats();
      })();
      return stopping;
    },
  };
}

/** One model's stream: which events are sent, which labels wait. */
class ModelRun {
  predictions = 0;
  labels = 0;
  /** Events with a time below this are sent. */
  private sentUpTo: number;
  private hour: { start: number; events: DemoEvent[] } | null = null;
  private pending: PendingLabel[] = [];
  private nextDue = Infinity;

  constructor(
    readonly model: DemoModel,
    private readonly story: Story,
    private readonly scale: number,
    readonly client: Vigil,
    fillFrom: number,
  ) {
    this.sentUpTo = fillFrom;
    // Labels of seeded predictions that came due after the seed (or will): the seed wrote only those due by then.
    for (let h = floorHour(story.anchor - MAX_LABEL_DELAY_MS); h <= story.anchor; h += HOUR_MS) {
      for (const e of generateHour(model, h, story, scale)) {
        if (e.time < story.anchor && e.label && e.label.time > story.anchor) this.wait(e);
      }
    }
  }

  tick(now: number): void {
    // Events of (sentUpTo, now], hour by hour.
    while (this.sentUpTo <= now) {
      const start = floorHour(this.sentUpTo);
      if (this.hour?.start !== start) this.hour = { start, events: generateHour(this.model, start, this.story, this.scale) };
      const end = Math.min(now + 1, start + HOUR_MS);
      for (const e of this.hour.events) {
        if (e.time < this.sentUpTo || e.time >= end) continue;
        this.client.logPrediction({
          id: e.id,
          model: this.model.slug,
          timestamp: e.time,
          features: e.features,
          prediction: e.prediction,
          ...(e.scores !== undefined ? { scores: e.scores } : {}),
          tags: e.tags,
        });
        this.predictions++;
        this.wait(e);
      }
      this.sentUpTo = end;
    }
    if (now < this.nextDue) return;
    const keep: PendingLabel[] = [];
    let next = Infinity;
    for (const l of this.pending) {
      if (l.time <= now) {
        this.client.logLabel({ predictionId: l.id, label: l.label, timestamp: l.time });
        this.labels++;
      } else {
        keep.push(l);
        if (l.time < next) next = l.time;
      }
    }
    this.pending = keep;
    this.nextDue = next;
  }

  private wait(e: DemoEvent): void {
    if (!e.label) return;
    this.pending.push({ id: e.id, time: e.label.time, label: e.label.value });
    if (e.label.time < this.nextDue) this.nextDue = e.label.time;
  }
}
