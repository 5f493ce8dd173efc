import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { latestModelGaugePoints, type Db, type ModelGaugePoint } from '@vigil/db';
import { Gauge, Registry } from 'prom-client';

/** metric_point names exported, each as a gauge (docs/bi.md, "Prometheus model metrics"). */
const GAUGES = [
  { metric: 'drift_score', name: 'vigil_model_drift_score', help: 'Newest hourly drift score of a column', perColumn: true },
  { metric: 'drift_detected', name: 'vigil_model_drift_detected', help: 'Newest hourly drift verdict of a column (1: drifted)', perColumn: true },
  { metric: 'drifted_columns_share', name: 'vigil_model_dataset_drift_share', help: 'Share of drifted feature columns in the newest hour', perColumn: false },
  { metric: 'label_coverage', name: 'vigil_model_label_coverage', help: 'Share of the newest hour\u2019s predictions that have a label', perColumn: false },
  { metric: 'prediction_count', name: 'vigil_model_events', help: 'Predictions in the newest hourly window', perColumn: false },
  { metric: 'reconstruction_error', name: 'vigil_model_reconstruction_error', help: 'Newest hourly PCA reconstruction error (multivariate drift)', perColumn: false },
] as const;
const PERFORMANCE = ['accuracy', 'f1', 'roc_auc', 'precision', 'recall', 'log_loss', 'rmse', 'mae', 'mape', 'r2'] as const;
const ESTIMATED = ['estimated_accuracy', 'estimated_precision', 'estimated_recall', 'estimated_f1', 'estimated_roc_auc'] as const;
/** Gauges with one series per metric (label `metric`). */
const BY_METRIC = [
  { name: 'vigil_model_performance', help: 'Newest hourly value of each performance metric', metrics: PERFORMANCE },
  { name: 'vigil_model_estimated_performance', help: 'Newest hourly estimate of each performance metric, before labels (CBPE)', metrics: ESTIMATED },
] as const;

export interface ModelExporterOptions {
  pool: Db['pool'];
  port: number;
  host: string;
  /** At most this many series per scrape (the rest are dropped, counted in vigil_model_series_dropped). */
  maxSeries: number;
}

export interface ModelExporter {
  url: string;
  registry: Registry;
  close(): Promise<void>;
}

/**
 * The opt-in model metrics exporter: its own port (VIGIL_MODEL_METRICS_PORT), because its
 * series carry workspace, project and model names that the API's public /metrics never does.
 * Values are read from Postgres at scrape time.
 */
export async function startModelExporter(opts: ModelExporterOptions): Promise<ModelExporter> {
  const registry = new Registry();
  const base = ['workspace', 'project', 'model', 'version'] as const;
  let scrape: Promise<{ points: ModelGaugePoint[]; dropped: number }> | null = null;
  const read = (fresh: boolean) => {
    if (fresh || !scrape) {
      scrape = latestModelGaugePoints(opts.pool, { metrics: [...GAUGES.map((g) => g.metric), ...PERFORMANCE, ...ESTIMATED], limit: opts.maxSeries + 1 }).then((points) => ({
        points: points.slice(0, opts.maxSeries),
        dropped: points.length > opts.maxSeries ? 1 : 0,
      }));
    }
    return scrape;
  };
  GAUGES.forEach((g, i) => {
    new Gauge({
      name: g.name,
      help: g.help,
      labelNames: g.perColumn ? [...base, 'column'] : [...base],
      registers: [registry],
      async collect() {
        this.reset();
        for (const p of (await read(i === 0)).points) {
          if (p.metric !== g.metric) continue;
          const labels = { workspace: p.workspace, project: p.project, model: p.model, version: p.version };
          this.set(g.perColumn ? { ...labels, column: p.column } : labels, p.value);
        }
      },
    });
  });
  for (const g of BY_METRIC) {
    new Gauge({
      name: g.name,
      help: g.help,
      labelNames: [...base, 'metric'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const p of (await read(false)).points) {
          if ((g.metrics as readonly string[]).includes(p.metric)) {
            this.set({ workspace: p.workspace, project: p.project, model: p.model, version: p.version, metric: p.metric }, p.value);
          }
        }
      },
    });
  }
  new Gauge({
    name: 'vigil_model_series_capped',
    help: 'Whether the last scrape reached VIGIL_MODEL_METRICS_MAX_SERIES (1: series were dropped)',
    registers: [registry],
    async collect() {
      this.set((await read(false)).dropped);
    },
  });

  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      () => res.writeHead(503).end('model metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  // The exporter never keeps the process alive: it ends with the API it reports on.
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
    registry,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
