'use client';

import { useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Card, EmptyState, PageHeader } from '~/components/ui';
import { ActiveAlertsCard } from '~/features/alerting/active-alerts-card';
import { ProjectsTable } from '~/features/projects/projects-table';
import { useTRPC } from '~/trpc/react';
import { useWorkspace } from './use-workspace';

export function Overview() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const { data: projects } = useSuspenseQuery(trpc.project.list.queryOptions());
  const stats = [
    { label: 'Projects', value: ws.counts.projects },
    { label: 'Models', value: ws.counts.models },
    { label: 'Teams', value: ws.counts.teams },
    { label: 'Members', value: ws.counts.members },
  ];
  return (
    <>
      <PageHeader title={ws.organization.name} description="Every model in this workspace, at a glance." />
      <div className="stats">
        {stats.map((s) => (
          <div className="stat" key={s.label}>
            <div className="stat__value">{s.value}</div>
            <div className="stat__label">{s.label}</div>
          </div>
        ))}
      </div>
      <div className="ui-stack">
        <ActiveAlertsCard />
        <Card title="Projects" id="overview-projects">
          {projects.length === 0 ? (
            <EmptyState
              title="No projects yet"
              action={ws.canWrite ? <Link className="ui-button ui-button--primary" href="/projects">Create a project</Link> : null}
            >
              A project groups the models one service reports. Create one, then an API key, and send predictions with the SDK.
            </EmptyState>
          ) : (
            <ProjectsTable projects={projects} />
          )}
          {projects.length > 0 && ws.counts.models === 0 ? (
            <p className="ui-muted" style={{ marginTop: 12 }}>
              No model has reported yet. Models appear here as soon as the first prediction arrives with a project’s API key.
            </p>
          ) : null}
        </Card>
      </div>
    </>
  );
}
