'use client';

import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Badge, Card, Table, Td, Th } from '~/components/ui';
import { useTRPC } from '~/trpc/react';
import { alertsHref, OVERVIEW_ALERTS_INPUT } from './alert-filter';
import { AlertStateBadge } from './alert-state-badge';
import { orderAlerts } from './alerts-page';
import { metricValue, when } from './format';

/** The overview's view of alerting: the active alerts of the user's teams, each linking to it on the Alerts page. */
export function ActiveAlertsCard() {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery({ ...trpc.alert.list.queryOptions(OVERVIEW_ALERTS_INPUT), refetchInterval: 30_000 });
  const alerts = orderAlerts(data);
  const firing = alerts.filter((a) => a.state === 'firing').length;
  return (
    <Card
      title="Active alerts"
      id="overview-alerts"
      actions={
        <span className="ui-row">
          {firing > 0 ? <Badge tone="danger">{`${firing} firing`}</Badge> : null}
          <Link href="/alerts">All alerts</Link>
        </span>
      }
    >
      {alerts.length === 0 ? (
        <p className="ui-muted">Nothing is firing. Alerts of your teams’ rules appear here as soon as they fire.</p>
      ) : (
        <Table caption="Active alerts">
          <thead>
            <tr>
              <Th>State</Th>
              <Th>Model</Th>
              <Th>Rule</Th>
              <Th>Value</Th>
              <Th>Since</Th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr key={a.id} data-fingerprint={a.fingerprint}>
                <Td>
                  <AlertStateBadge state={a.state} />
                </Td>
                <Td>
                  <Link href={alertsHref({ state: 'active' }, a.fingerprint)}>{a.model?.name ?? 'unknown model'}</Link>
                  {a.column ? <div className="ui-hint">column {a.column}</div> : null}
                </Td>
                <Td>{a.rule.name}</Td>
                <Td>{metricValue(a.value)}</Td>
                <Td>{when(a.startedAt)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {alerts.length === OVERVIEW_ALERTS_INPUT.limit ? <p className="ui-hint">The {OVERVIEW_ALERTS_INPUT.limit} most recent; the Alerts page has them all.</p> : null}
    </Card>
  );
}
