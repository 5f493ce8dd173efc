'use client';

import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { isSilenced } from '@vigil/alerting';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useMemo, useState } from 'react';
import { Badge, Button, Card, EmptyState, Notice, PageHeader, Table, Td, Th } from '~/components/ui';
import { errorMessage } from '~/lib/errors';
import { useTRPC, type RouterOutputs } from '~/trpc/react';
import { alertListInput, alertsHref, MODEL_CHOICES_INPUT, type AlertFilter } from './alert-filter';
import { AlertStateBadge } from './alert-state-badge';
import { duration, metricValue, when } from './format';
import { useAlertingTeams } from './use-alerting-teams';

type Alert = RouterOutputs['alert']['list'][number];
type Silence = RouterOutputs['silence']['list'][number];

const QUICK_SILENCE_MINUTES = 120;
const STATE_RANK: Record<Alert['state'], number> = { firing: 0, pending: 1, nodata: 2, resolved: 3, ok: 4 };
/** Firing, then pending, then no data, then the rest; critical before warning; newest first. */
export function orderAlerts(alerts: readonly Alert[]): Alert[] {
  const severity = (a: Alert) => (a.severity === 'critical' ? 0 : a.severity === 'warning' ? 1 : 2);
  return [...alerts].sort(
    (a, b) => STATE_RANK[a.state] - STATE_RANK[b.state] || severity(a) - severity(b) || (b.startedAt ?? '').localeCompare(a.startedAt ?? ''),
  );
}

/** The labels silences match, as the worker builds them for this alert. */
function labelsOf(a: Alert): Record<string, string> {
  return {
    rule: a.rule.id,
    metric: a.rule.metric,
    model: a.model?.id ?? '',
    version: a.version,
    column: a.column,
    segment: a.segment,
    severity: a.severity ?? '',
  };
}

function Filters({ filter, models }: { filter: AlertFilter; models: { id: string; name: string }[] }) {
  const router = useRouter();
  const modelId = useId();
  return (
    <div className="ui-filters">
      <div className="ui-field">
        <span className="ui-label">Show</span>
        <div className="ui-segmented" role="group" aria-label="Which alerts">
          <Link href={alertsHref({ ...filter, state: 'active' })} aria-current={filter.state === 'active'}>
            Active
          </Link>
          <Link href={alertsHref({ ...filter, state: 'all' })} aria-current={filter.state === 'all'}>
            All
          </Link>
        </div>
      </div>
      <div className="ui-field">
        <label className="ui-label" htmlFor={modelId}>
          Model
        </label>
        <select
          id={modelId}
          className="ui-input ui-select"
          value={filter.modelId ?? ''}
          onChange={(e) => {
            const { modelId: _m, ...rest } = filter;
            router.push(alertsHref(e.target.value ? { ...rest, modelId: e.target.value } : rest));
          }}
        >
          <option value="">All models</option>
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

interface AlertRowProps {
  alert: Alert;
  highlighted: boolean;
  silenced: boolean;
  /** The table has an actions column (the user maintains some team with alerts here). */
  actionsColumn: boolean;
  /** The user may change this alert's team. */
  canChange: boolean;
  onSilenced: (s: Silence, a: Alert) => void;
}

function AlertRow({ alert, highlighted, silenced, actionsColumn, canChange, onSilenced }: AlertRowProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const acknowledge = useMutation(trpc.alert.acknowledge.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.alert.pathKey() }) }));
  const silence = useMutation(
    trpc.silence.create.mutationOptions({
      onSuccess: async (s) => {
        await queryClient.invalidateQueries({ queryKey: trpc.silence.pathKey() });
        onSilenced(s, alert);
      },
    }),
  );
  const active = alert.state === 'firing' || alert.state === 'pending';
  const error = acknowledge.error ?? silence.error;
  const modelName = alert.model?.name ?? 'unknown model';
  const details = [alert.column && `column ${alert.column}`, alert.segment && `segment ${alert.segment}`, alert.version && `version ${alert.version.slice(0, 10)}`].filter(Boolean);
  return (
    <tr
      data-fingerprint={alert.fingerprint}
      data-highlighted={highlighted || undefined}
      className={highlighted ? 'is-highlighted' : undefined}
      id={highlighted ? 'highlighted-alert' : undefined}
    >
      <Td>
        <span className="ui-row">
          <AlertStateBadge state={alert.state} />
          {alert.acknowledgedAt ? <Badge>acknowledged</Badge> : null}
          {silenced ? <Badge tone="accent">silenced</Badge> : null}
        </span>
      </Td>
      <Td>{alert.severity ? <Badge tone={alert.severity === 'critical' ? 'danger' : 'warn'}>{alert.severity}</Badge> : '—'}</Td>
      <Td>
        {modelName}
        {details.length ? <div className="ui-hint">{details.join(' · ')}</div> : null}
      </Td>
      <Td>{metricValue(alert.value)}</Td>
      <Td>
        {alert.rule.name}
        <div className="ui-hint">
          {alert.rule.metric} · {alert.rule.granularity}
        </div>
      </Td>
      <Td>
        {when(alert.startedAt)}
        {alert.resolvedAt ? <div className="ui-hint">resolved {when(alert.resolvedAt)}</div> : null}
      </Td>
      {actionsColumn && !canChange ? <Td /> : null}
      {actionsColumn && canChange ? (
        <Td className="ui-actions">
          {error ? <div className="ui-field-error">{errorMessage(error)}</div> : null}
          <span className="ui-row" style={{ justifyContent: 'flex-end' }}>
            {active && !alert.acknowledgedAt ? (
              <Button size="sm" busy={acknowledge.isPending} onClick={() => acknowledge.mutate({ alertId: alert.id })}>
                Acknowledge
              </Button>
            ) : null}
            {!silenced ? (
              <Button
                size="sm"
                busy={silence.isPending}
                onClick={() =>
                  silence.mutate({
                    teamId: alert.teamId,
                    matchers: [
                      { name: 'rule', op: '=', value: alert.rule.id },
                      { name: 'model', op: '=', value: alert.model?.id ?? '' },
                    ],
                    comment: `${alert.rule.name} on ${modelName}, silenced from the alerts page`,
                    durationMinutes: QUICK_SILENCE_MINUTES,
                  })
                }
              >
                Silence 2 h
              </Button>
            ) : null}
          </span>
        </Td>
      ) : null}
    </tr>
  );
}

export function AlertsPage({ filter, fingerprint }: { filter: AlertFilter; fingerprint?: string }) {
  const trpc = useTRPC();
  const teams = useAlertingTeams();
  // Live while open: the worker changes states as windows complete.
  const { data: alerts } = useSuspenseQuery({ ...trpc.alert.list.queryOptions(alertListInput(filter)), refetchInterval: 30_000 });
  const { data: recent } = useSuspenseQuery(trpc.alert.list.queryOptions(MODEL_CHOICES_INPUT));
  const { data: silences } = useSuspenseQuery(trpc.silence.list.queryOptions({}));
  const [silencedNote, setSilencedNote] = useState<string | null>(null);

  const ordered = useMemo(() => orderAlerts(alerts), [alerts]);
  const models = useMemo(() => {
    const byId = new Map<string, string>();
    for (const a of [...recent, ...alerts]) if (a.model) byId.set(a.model.id, a.model.name);
    return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  }, [recent, alerts]);
  const changeable = new Set(teams.filter((t) => t.canChange).map((t) => t.id));
  const anyChange = ordered.some((a) => changeable.has(a.teamId));
  const now = Date.now();
  const activeSilences = silences.map((s) => ({ teamId: s.teamId, matchers: s.matchers, startsAt: Date.parse(s.startsAt), endsAt: Date.parse(s.endsAt) }));
  const silenced = (a: Alert) => isSilenced(activeSilences.filter((s) => s.teamId === a.teamId), labelsOf(a), now);

  const highlightedFound = fingerprint ? ordered.some((a) => a.fingerprint === fingerprint) : false;
  useEffect(() => {
    if (highlightedFound) document.getElementById('highlighted-alert')?.scrollIntoView({ block: 'center' });
  }, [highlightedFound]);

  return (
    <>
      <PageHeader
        title="Alerts"
        description="Alert instances of your teams’ rules: firing and pending first. Acknowledge to stop repeats until the episode ends; silence to mute notifications for a while."
      />
      {fingerprint && !highlightedFound ? (
        <Notice tone="info">
          The alert from that link is not in this list.{' '}
          {filter.state === 'active' ? <Link href={alertsHref({ state: 'all' }, fingerprint)}>Show all alerts</Link> : 'It may have been deleted with its rule.'}
        </Notice>
      ) : null}
      {silencedNote ? (
        <Notice tone="success">
          {silencedNote} <Link href="/silences">Manage silences</Link>
        </Notice>
      ) : null}
      <div style={{ height: 12 }} />
      <Card>
        <Filters filter={filter} models={models} />
        {ordered.length === 0 ? (
          <EmptyState
            title={filter.state === 'active' ? 'Nothing is firing' : 'No alerts yet'}
            action={
              <Link className="ui-button" href="/rules">
                See the rules
              </Link>
            }
          >
            {teams.length === 0
              ? 'You see the alerts of the teams you belong to. Ask a workspace admin to add you to a team.'
              : filter.state === 'active'
                ? 'No alert of your teams is firing, pending or without data right now.'
                : 'Alerts appear here when a rule of your teams breaches its threshold.'}
          </EmptyState>
        ) : (
          <Table caption="Alerts">
            <thead>
              <tr>
                <Th>State</Th>
                <Th>Severity</Th>
                <Th>Model</Th>
                <Th>Value</Th>
                <Th>Rule</Th>
                <Th>Started</Th>
                {anyChange ? <Th className="ui-actions">Actions</Th> : null}
              </tr>
            </thead>
            <tbody>
              {ordered.map((a) => (
                <AlertRow
                  key={a.id}
                  alert={a}
                  highlighted={a.fingerprint === fingerprint}
                  silenced={silenced(a)}
                  actionsColumn={anyChange}
                  canChange={changeable.has(a.teamId)}
                  onSilenced={(s, alert) =>
                    setSilencedNote(`Silenced “${alert.rule.name}” on ${alert.model?.name ?? 'this model'} for ${duration(Date.parse(s.endsAt) - Date.parse(s.startsAt))}, until ${when(s.endsAt)}.`)
                  }
                />
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
