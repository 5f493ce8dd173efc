'use client';

import { useSuspenseQuery } from '@tanstack/react-query';
import { Badge, Card, EmptyState, PageHeader, Table, Td, Th } from '~/components/ui';
import { useTRPC } from '~/trpc/react';

const show = (v: unknown) => (v && typeof v === 'object' ? JSON.stringify(v) : String(v));

/** `{ a: 1, b: { from: 'x', to: 'y' } }` → "a: 1 · b: x → y" (other objects, e.g. silence matchers, as JSON) */
function describe(details: unknown): string {
  if (!details || typeof details !== 'object') return '';
  return Object.entries(details as Record<string, unknown>)
    .map(([k, v]) => {
      if (v && typeof v === 'object' && 'from' in v && 'to' in v) return `${k}: ${String(v.from)} → ${String(v.to)}`;
      return `${k}: ${Array.isArray(v) ? v.map(show).join(', ') : show(v)}`;
    })
    .join(' · ');
}

export function AuditPage() {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.audit.list.queryOptions({}));
  return (
    <>
      <PageHeader title="Audit log" description="Who changed members, invitations, teams, projects, API keys and alerting (rules, channels, silences, policies, acknowledgements), and when." />
      <Card>
        {data.items.length === 0 ? (
          <EmptyState title="Nothing recorded yet">Changes to members, teams, projects, API keys and alerting appear here as they happen.</EmptyState>
        ) : (
          <Table caption="Audit log">
            <thead>
              <tr>
                <Th>When (UTC)</Th>
                <Th>Who</Th>
                <Th>Action</Th>
                <Th>Details</Th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((r) => (
                <tr key={r.id}>
                  <Td style={{ whiteSpace: 'nowrap' }}>{r.createdAt.toISOString().slice(0, 19).replace('T', ' ')}</Td>
                  <Td>{r.actor ? r.actor.name : 'API key'}</Td>
                  <Td>
                    <Badge tone={r.action.endsWith('revoked') || r.action.endsWith('removed') ? 'danger' : 'neutral'}>{r.action}</Badge>
                  </Td>
                  <Td className="ui-muted">{describe(r.details)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </>
  );
}
