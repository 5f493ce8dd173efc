'use client';

import { useQuery } from '@tanstack/react-query';
import type { HealthLevel } from '@vigil/contracts';
import Link from 'next/link';
import { useMemo } from 'react';
import { EmptyState, PageHeader, Table, Td, Th } from '~/components/ui';
import { ActiveAlertsCard } from '~/features/alerting/active-alerts-card';
import { alertsHref } from '~/features/alerting/alert-filter';
import { useWorkspace } from '~/features/workspace/use-workspace';
import { useTRPC, type RouterOutputs } from '~/trpc/react';
import { Sparkline } from '../charts/sparkline';
import { ago, count, metricLabel, num, pct } from '../format';
import { HEALTH_LABEL, HealthBadge } from '../health-badge';
import { LIVE_REFRESH_MS, Panel } from '../panel';
import { TimeRangePicker } from '../time-range-picker';
import { useUrlState } from '../use-url-state';

type Row = RouterOutputs['model']['overview']['models'][number];

const LEVELS: HealthLevel[] = ['critical', 'warning', 'nodata', 'ok'];
const RANK: Record<HealthLevel, number> = { critical: 0, warning: 1, nodata: 2, ok: 3 };

/** The filters in the URL: `?status=&team=&project=&sort=name`. */
function useFilters() {
  const { params, set } = useUrlState();
  const status = params.get('status');
  return {
    status: (LEVELS as string[]).includes(status ?? '') ? (status as HealthLevel) : null,
    team: params.get('team'),
    project: params.get('project'),
    sort: params.get('sort') === 'name' ? ('name' as const) : ('status' as const),
    set,
  };
}

function Trend({ row }: { row: Row }) {
  const p = row.performance;
  if (!p) return <span className="ui-muted">no labels yet</span>;
  const delta = p.baseline === null || p.baseline === 0 ? null : (p.value - p.baseline) / Math.abs(p.baseline);
  const better = delta !== null && (p.higherIsBetter ? delta > 0 : delta < 0);
  const arrow = delta === null || Math.abs(delta) < 0.005 ? '→' : delta > 0 ? '↑' : '↓';
  return (
    <div className="perf-cell">
      <div>
        <strong>{`${metricLabel(p.metric)} ${num(p.value)}`}</strong>{' '}
        <span className={delta === null || Math.abs(delta) < 0.005 ? 'trend' : better ? 'trend trend--good' : 'trend trend--bad'} title="against the mean of the 7 labelled days before">
          {arrow} {delta === null ? '' : pct(Math.abs(delta), 0)}
        </span>
      </div>
      <Sparkline values={p.days} width={90} height={18} color={better || delta === null ? '#2b8a3e' : '#c92a2a'} label={`${metricLabel(p.metric)} per day`} />
    </div>
  );
}

function ModelRow({ row }: { row: Row }) {
  const total = row.volume.reduce((s, v) => s + v, 0);
  return (
    <tr data-model={row.slug} data-health={row.health.level}>
      <Td>
        <Link href={`/models/${row.id}`} className="model-link">
          {row.name}
        </Link>
        <div className="ui-hint">
          {row.project.name} · {row.team.name}
          {row.versions > 1 && row.version ? ` · ${row.version.name}` : ''}
        </div>
      </Td>
      <Td>
        <HealthBadge level={row.health.level} reasons={row.health.reasons} />
        {row.health.reasons[0] ? <div className="ui-hint reason">{row.health.reasons[0].text}</div> : null}
      </Td>
      <Td>
        <Sparkline values={row.volume} label={`${row.name} predictions`} fill />
        <div className="ui-hint">{count(total)} predictions</div>
      </Td>
      <Td>
        {row.drift ? (
          <>
            <span className={row.drift.driftedColumns.length > 0 ? 'drift-share drift-share--bad' : 'drift-share'}>{pct(row.drift.share, 0)}</span>
            <div className="ui-hint">
              {row.drift.driftedColumns.length} of {row.drift.columns} features
            </div>
          </>
        ) : (
          <span className="ui-muted">no reference</span>
        )}
      </Td>
      <Td>
        <Trend row={row} />
        <div className="ui-hint">label coverage {pct(row.labelCoverage, 0)}</div>
      </Td>
      <Td>{ago(row.lastEventAt)}</Td>
      <Td>
        {row.alerts.firing + row.alerts.pending > 0 ? (
          <Link href={alertsHref({ state: 'active', modelId: row.id })}>
            {row.alerts.firing > 0 ? `${row.alerts.firing} firing` : ''}
            {row.alerts.firing > 0 && row.alerts.pending > 0 ? ', ' : ''}
            {row.alerts.pending > 0 ? `${row.alerts.pending} pending` : ''}
          </Link>
        ) : (
          <span className="ui-muted">none</span>
        )}
      </Td>
    </tr>
  );
}

/**
 * The screen a team lead opens every morning: every model of the workspace with its health
 * (the worst of drift, performance, data quality and alerts, and why), volume, drift, headline
 * performance and open alerts; filters by team, project and status; the active alerts below.
 */
export function MonitoringOverview() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const { time } = useUrlState();
  const filters = useFilters();
  const query = useQuery({ ...trpc.model.overview.queryOptions({ time }), refetchInterval: LIVE_REFRESH_MS });
  const models = useMemo(() => query.data?.models ?? [], [query.data]);
  const teams = useMemo(() => [...new Map(models.map((m) => [m.team.id, m.team])).values()].sort((a, b) => a.name.localeCompare(b.name)), [models]);
  const projects = useMemo(() => [...new Map(models.map((m) => [m.project.id, m.project])).values()].sort((a, b) => a.name.localeCompare(b.name)), [models]);
  const shown = models
    .filter((m) => (!filters.status || m.health.level === filters.status) && (!filters.team || m.team.id === filters.team) && (!filters.project || m.project.id === filters.project))
    .sort((a, b) => (filters.sort === 'status' ? RANK[a.health.level] - RANK[b.health.level] : 0) || a.name.localeCompare(b.name));
  const counts = query.data?.counts;
  return (
    <>
      <PageHeader title={ws.organization.name} description="Every model in this workspace, at a glance." actions={<TimeRangePicker />} />
      <div className="health-chips" role="group" aria-label="Filter by status">
        <button type="button" className="health-chip" aria-pressed={!filters.status} onClick={() => filters.set({ status: null })}>
          All <strong>{models.length}</strong>
        </button>
        {LEVELS.map((l) => (
          <button key={l} type="button" className={`health-chip health-chip--${l}`} aria-pressed={filters.status === l} onClick={() => filters.set({ status: filters.status === l ? null : l })}>
            {HEALTH_LABEL[l]} <strong>{counts?.[l] ?? 0}</strong>
          </button>
        ))}
      </div>
      <div className="ui-stack">
        <Panel
          title="Models"
          id="overview-models"
          query={query}
          isEmpty={(d) => d.models.length === 0}
          empty={
            ws.counts.projects === 0 ? (
              <EmptyState title="No projects yet" action={ws.canWrite ? <Link className="ui-button ui-button--primary" href="/projects">Create a project</Link> : null}>
                A project groups the models one service reports. Create one, then an API key, and send predictions with the SDK.
              </EmptyState>
            ) : (
              <EmptyState title="No model has reported yet" action={<Link className="ui-button" href="/projects">Projects and API keys</Link>}>
                Models appear here as soon as the first prediction arrives with a project’s API key (see the SDK snippet on a project’s page).
              </EmptyState>
            )
          }
          actions={
            <div className="ui-filters ui-filters--inline">
              <select className="ui-input ui-select" aria-label="Team" value={filters.team ?? ''} onChange={(e) => filters.set({ team: e.target.value || null })}>
                <option value="">All teams</option>
                {teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
              <select className="ui-input ui-select" aria-label="Project" value={filters.project ?? ''} onChange={(e) => filters.set({ project: e.target.value || null })}>
                <option value="">All projects</option>
                {projects.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
              <select className="ui-input ui-select" aria-label="Sort" value={filters.sort} onChange={(e) => filters.set({ sort: e.target.value === 'name' ? 'name' : null })}>
                <option value="status">Worst first</option>
                <option value="name">By name</option>
              </select>
            </div>
          }
        >
          {() =>
            shown.length === 0 ? (
              <p className="ui-muted">No model matches these filters.</p>
            ) : (
              <Table caption="Models">
                <thead>
                  <tr>
                    <Th>Model</Th>
                    <Th>Status</Th>
                    <Th>Volume</Th>
                    <Th>Drifted features</Th>
                    <Th>Performance</Th>
                    <Th>Last event</Th>
                    <Th>Alerts</Th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((m) => (
                    <ModelRow key={m.id} row={m} />
                  ))}
                </tbody>
              </Table>
            )
          }
        </Panel>
        <ActiveAlertsCard />
      </div>
    </>
  );
}
