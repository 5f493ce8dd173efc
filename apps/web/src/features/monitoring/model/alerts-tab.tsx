'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Table, Td, Th } from '~/components/ui';
import { alertsHref } from '~/features/alerting/alert-filter';
import { AlertStateBadge } from '~/features/alerting/alert-state-badge';
import { useTRPC } from '~/trpc/react';
import { num, when } from '../format';
import { Panel } from '../panel';

/** This model's alerts (of the teams whose alerting you read) and every state change they went through. */
export function AlertsTab({ modelId }: { modelId: string }) {
  const trpc = useTRPC();
  const alerts = useQuery({ ...trpc.model.alerts.queryOptions({ modelId }), refetchInterval: 30_000 });
  return (
    <div className="ui-stack">
      <Panel
        title="Alerts"
        id="model-alerts"
        query={alerts}
        isEmpty={(d) => d.alerts.length === 0}
        empty={
          <p>
            No alert of this model yet. Rules are set per team on the <Link href="/rules">Rules</Link> page.
          </p>
        }
        actions={<Link href={alertsHref({ state: 'all', modelId })}>On the Alerts page</Link>}
      >
        {(d) => (
          <Table caption="Alerts of this model">
            <thead>
              <tr>
                <Th>State</Th>
                <Th>Rule</Th>
                <Th>Column</Th>
                <Th>Value</Th>
                <Th>Started</Th>
                <Th>Resolved</Th>
              </tr>
            </thead>
            <tbody>
              {d.alerts.map((a) => (
                <tr key={a.id} data-state={a.state}>
                  <Td>
                    <AlertStateBadge state={a.state} />
                  </Td>
                  <Td>
                    <Link href={alertsHref({ state: 'all', modelId }, a.fingerprint)}>{a.rule.name}</Link>
                    <div className="ui-hint">{a.rule.metric}</div>
                  </Td>
                  <Td>{a.column || '—'}</Td>
                  <Td className="num">{num(a.value)}</Td>
                  <Td>{when(a.startedAt)}</Td>
                  <Td>{when(a.resolvedAt)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Panel>
      <Panel title="History" id="model-alert-history" query={alerts} isEmpty={(d) => d.history.length === 0} empty={<p>No state change yet.</p>}>
        {(d) => (
          <Table caption="State changes of this model's alerts, newest first">
            <thead>
              <tr>
                <Th>When</Th>
                <Th>Rule</Th>
                <Th>Column</Th>
                <Th>Change</Th>
                <Th>Value</Th>
              </tr>
            </thead>
            <tbody>
              {d.history.map((e, i) => (
                <tr key={`${e.alertId}-${i}`}>
                  <Td>{when(new Date(e.at).toISOString())}</Td>
                  <Td>{e.rule.name}</Td>
                  <Td>{e.column || '—'}</Td>
                  <Td>
                    {e.from} → <strong>{e.to}</strong>
                    {e.severity ? ` (${e.severity})` : ''}
                  </Td>
                  <Td className="num">{num(e.value)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Panel>
    </div>
  );
}
