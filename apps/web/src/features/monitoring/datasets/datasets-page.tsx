'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Badge, EmptyState, PageHeader, Table, Td, Th } from '~/components/ui';
import { useTRPC } from '~/trpc/react';
import { count, when } from '../format';
import { Panel } from '../panel';

const STATUS_TONE: Record<string, 'ok' | 'warn' | 'danger' | 'neutral'> = { ready: 'ok', pending: 'warn', receiving: 'warn', failed: 'danger' };

const sourceLabel = (d: { source: string; trailingDays: number | null; rangeStart: Date | null; rangeEnd: Date | null }) =>
  d.source === 'upload'
    ? 'uploaded file'
    : d.source === 'trailing'
      ? `trailing ${d.trailingDays} days`
      : `events ${when(d.rangeStart?.toISOString())} – ${when(d.rangeEnd?.toISOString())}`;

/** Every reference dataset of the workspace: rows, columns, status, source, and the model that uses it. */
export function DatasetsPage() {
  const trpc = useTRPC();
  const datasets = useQuery({ ...trpc.dataset.list.queryOptions(), refetchInterval: 15_000 });
  return (
    <>
      <PageHeader title="Datasets" description="Reference datasets: what each model’s drift and data quality are measured against." />
      <Panel
        title="Reference datasets"
        id="datasets"
        query={datasets}
        isEmpty={(d) => d.length === 0}
        empty={
          <EmptyState title="No reference dataset yet">
            Upload one on a model’s Settings tab (or with <code>POST /v1/models/&#123;model&#125;/reference</code>), or build one from a past range of its predictions.
          </EmptyState>
        }
      >
        {(d) => (
          <Table caption="Reference datasets">
            <thead>
              <tr>
                <Th>Dataset</Th>
                <Th>Model</Th>
                <Th>Source</Th>
                <Th>Rows</Th>
                <Th>Columns</Th>
                <Th>Status</Th>
                <Th>Created</Th>
              </tr>
            </thead>
            <tbody>
              {d.map((ds) => (
                <tr key={ds.id} data-dataset={ds.id}>
                  <Td>
                    {ds.name}
                    {ds.inUse ? (
                      <div>
                        <Badge tone="accent">in use</Badge>
                      </div>
                    ) : null}
                  </Td>
                  <Td>
                    <Link href={`/models/${ds.model.id}`}>{ds.model.name}</Link>
                    <div className="ui-hint">{ds.project.name}</div>
                  </Td>
                  <Td>{sourceLabel(ds)}</Td>
                  <Td className="num">{count(ds.rows)}</Td>
                  <Td className="num">{count(ds.columns)}</Td>
                  <Td>
                    <Badge tone={STATUS_TONE[ds.status] ?? 'neutral'}>{ds.status}</Badge>
                    {ds.error ? <div className="ui-hint">{ds.error}</div> : null}
                  </Td>
                  <Td>{when(ds.createdAt.toISOString())}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Panel>
    </>
  );
}
