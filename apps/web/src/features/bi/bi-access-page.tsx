'use client';

import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Card, CopyButton, Notice, PageHeader } from '~/components/ui';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/trpc/react';

interface Issued {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  schema: 'bi';
}

const when = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

function Credentials({ issued }: { issued: Issued }) {
  const url = `postgresql://${issued.user}:${issued.password}@${issued.host}:${issued.port}/${issued.database}`;
  return (
    <div className="ui-stack" data-testid="bi-credentials">
      <Notice tone="success">Copy the password now: it is shown only once. Postgres keeps only a verifier; rotate to get a new one.</Notice>
      <dl className="ui-stack">
        {(
          [
            ['Host', issued.host],
            ['Port', String(issued.port)],
            ['Database', issued.database],
            ['User', issued.user],
            ['Schema', issued.schema],
          ] as const
        ).map(([k, v]) => (
          <div key={k} className="ui-row">
            <dt style={{ minWidth: 90 }}>{k}</dt>
            <dd>
              <code>{v}</code>
            </dd>
          </div>
        ))}
      </dl>
      <div className="ui-secret">
        <code data-testid="bi-password">{issued.password}</code>
        <CopyButton text={issued.password} label="Copy password" />
      </div>
      <div className="ui-secret">
        <code>{url}</code>
        <CopyButton text={url} label="Copy connection URL" />
      </div>
    </div>
  );
}

/** Workspace settings → BI access: the read-only database login for Grafana, Metabase, Superset. */
export function BiAccessPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.biAccess.status.queryOptions());
  const [issued, setIssued] = useState<Issued | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.biAccess.status.queryKey() });
  const issue = useMutation(trpc.biAccess.issue.mutationOptions({ onSuccess: async (r) => (setIssued(r), await refresh()) }));
  const revoke = useMutation(trpc.biAccess.revoke.mutationOptions({ onSuccess: async () => (setIssued(null), await refresh()) }));
  const error = issue.error ?? revoke.error;
  return (
    <>
      <PageHeader
        title="BI access"
        description="A read-only database login for the BI and monitoring tools you already run (Grafana, Metabase, Superset). It reads the views of the bi schema and sees only this workspace."
      />
      <Card
        title="Database login"
        actions={
          <div className="ui-row">
            <Button variant="primary" onClick={() => issue.mutate()} disabled={issue.isPending}>
              {data.login ? 'Rotate password' : 'Create login'}
            </Button>
            {data.login ? (
              <Button
                variant="danger"
                disabled={revoke.isPending}
                onClick={() => {
                  if (window.confirm('Revoke the BI login? Dashboards using it stop working.')) revoke.mutate();
                }}
              >
                Revoke
              </Button>
            ) : null}
          </div>
        }
      >
        {error ? <Notice tone="error">{errorMessage(error)}</Notice> : null}
        {issued ? (
          <Credentials issued={issued} />
        ) : data.login ? (
          <p>
            Login <code>{data.login.user}</code> on <code>{`${data.host}:${data.port}/${data.database}`}</code>, schema <code>bi</code>. Created{' '}
            {when(data.login.createdAt)}, password last set {when(data.login.rotatedAt)}. Rotating gives a new password; the old one stops working.
          </p>
        ) : (
          <p>This workspace has no BI login. Create one to connect a BI tool; see docs/bi.md for Grafana, Metabase and Superset.</p>
        )}
      </Card>
    </>
  );
}
