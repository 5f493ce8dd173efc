'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Badge, Card, Table, Td, Th } from '~/components/ui';
import { AlertStateBadge } from '~/features/alerting/alert-state-badge';
import { useTRPC } from '~/trpc/react';
import { TimeSeriesChart } from '../charts/time-series';
import { columnLabel, count, metricLabel, num, pct, testLabel, when } from '../format';
import { LIVE_REFRESH_MS, Panel } from '../panel';
import { EstimateChart, EstimateHeadline, useEstimateFallback } from './estimate-panels';
import { headlineOf, overviewSeriesInput, roleColumnsOf } from './inputs';
import { isBlank, seriesOf, toChart } from './series';
import { useModel, useModelScope } from './use-model';

export function ModelOverviewTab({ modelId }: { modelId: string }) {
  const trpc = useTRPC();
  const { header } = useModel(modelId);
  const scope = useModelScope(modelId);
  const h = header.data;
  const roleColumns = roleColumnsOf(h);
  const series = useQuery({ ...trpc.model.series.queryOptions(overviewSeriesInput(h, scope)), refetchInterval: LIVE_REFRESH_MS, enabled: !!h });
  const drift = useQuery({ ...trpc.model.driftTable.queryOptions(scope), refetchInterval: LIVE_REFRESH_MS });
  const alerts = useQuery({ ...trpc.model.alerts.queryOptions({ modelId }), refetchInterval: 30_000 });
  const headline = headlineOf(h);
  // No labels in the range: the estimate (CBPE), when the model has one, stands in for the realized metric.
  const estimate = useEstimateFallback(modelId, headline === 'f1' && !!series.data && isBlank(seriesOf(series.data, headline)));
  const predictionDrift = (series.data?.series ?? []).filter((s) => s.metric === 'drift_score' && s.column !== '');
  const thresholds = (drift.data?.rows ?? []).filter((r) => roleColumns.includes(r.column) && r.threshold !== null).slice(0, 1);
  const active = (alerts.data?.alerts ?? []).filter((a) => a.state === 'firing' || a.state === 'pending' || a.state === 'nodata');
  return (
    <div className="tab-grid">
      <Panel title="Predictions" query={series} isEmpty={(d) => isBlank(seriesOf(d, 'prediction_count'))} empty={<p>No predictions in this range.</p>}>
        {(d) => <TimeSeriesChart label="Predictions over time" bucketMs={seriesOf(d, 'prediction_count')!.bucketMs} series={[toChart(seriesOf(d, 'prediction_count')!, 'predictions')]} format={count} yMin={0} />}
      </Panel>
      <Panel
        title="Prediction drift"
        query={series}
        isEmpty={() => predictionDrift.every((s) => isBlank(s))}
        empty={<p>No drift score for the predictions yet: it needs a reference dataset with a prediction (or score) column.</p>}
      >
        {() => (
          <TimeSeriesChart
            label="Drift score of the prediction and score columns"
            bucketMs={predictionDrift[0]!.bucketMs}
            series={predictionDrift.map((s) => toChart(s, columnLabel(s.column)))}
            thresholds={thresholds.map((t) => ({ value: t.threshold!, label: `${testLabel(t.test)} threshold ${num(t.threshold!)}` }))}
          />
        )}
      </Panel>
      {estimate ? (
        <Card title="Performance (estimated F1)" id="model-estimate">
          <EstimateHeadline e={estimate} />
          <EstimateChart e={estimate} height={190} />
        </Card>
      ) : (
        <Panel
          title={`Performance (${metricLabel(headline)})`}
          query={series}
          isEmpty={(d) => isBlank(seriesOf(d, headline))}
          empty={<p>No labels in this range yet. Send ground truth with `logLabel` (or POST /v1/labels); each window’s performance appears once its labels arrive.</p>}
        >
          {(d) => (
            <TimeSeriesChart
              label={`${metricLabel(headline)} over time`}
              bucketMs={seriesOf(d, headline)!.bucketMs}
              series={[toChart(seriesOf(d, headline)!, metricLabel(headline)), ...(seriesOf(d, 'label_coverage') ? [toChart(seriesOf(d, 'label_coverage')!, 'label coverage', '#94a3b8')] : [])]}
              format={num}
            />
          )}
        </Panel>
      )}
      <Card title="Open alerts" id="model-open-alerts" actions={<Link href={`/models/${modelId}/alerts`}>History</Link>}>
        {active.length === 0 ? (
          <p className="ui-muted">No alert of this model is open.</p>
        ) : (
          <Table caption="Open alerts of this model">
            <thead>
              <tr>
                <Th>State</Th>
                <Th>Rule</Th>
                <Th>Column</Th>
                <Th>Since</Th>
              </tr>
            </thead>
            <tbody>
              {active.map((a) => (
                <tr key={a.id}>
                  <Td>
                    <AlertStateBadge state={a.state} />
                  </Td>
                  <Td>{a.rule.name}</Td>
                  <Td>{a.column || '—'}</Td>
                  <Td>{when(a.startedAt)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <Card title="Reference in use" id="model-reference">
        {h?.reference ? (
          <dl className="facts">
            <dt>Dataset</dt>
            <dd>{h.reference.name}</dd>
            <dt>Source</dt>
            <dd>{h.reference.source === 'upload' ? 'uploaded file' : h.reference.source === 'range' ? 'a fixed time range' : `the trailing ${h.reference.trailingDays} days`}</dd>
            <dt>Rows</dt>
            <dd>{count(h.reference.rows)}</dd>
            <dt>Built</dt>
            <dd>{when(h.reference.readyAt ? new Date(h.reference.readyAt).toISOString() : null)}</dd>
          </dl>
        ) : (
          <p className="ui-muted">
            No reference yet: drift needs one. <Link href={`/models/${modelId}/settings#reference`}>Choose a reference</Link>.
          </p>
        )}
        {h?.newestReference ? (
          <p className="ui-hint">
            Newest dataset: {h.newestReference.name} <Badge tone={h.newestReference.status === 'failed' ? 'danger' : 'warn'}>{h.newestReference.status}</Badge>
            {h.newestReference.error ? ` — ${h.newestReference.error}` : ''}
          </p>
        ) : null}
        {h?.status.drift ? <p className="ui-hint">Newest complete hour: {pct(h.status.drift.share, 0)} of features drifted.</p> : null}
      </Card>
    </div>
  );
}
