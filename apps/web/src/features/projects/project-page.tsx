'use client';

import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, Notice, PageHeader, TextField } from '~/components/ui';
import { useCanMaintain } from '~/features/workspace/use-workspace';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/trpc/react';
import { ApiKeys } from './api-keys';
import { RetentionField } from './retention-field';

function ProjectSettings({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: project } = useSuspenseQuery(trpc.project.get.queryOptions({ projectId }));
  const canMaintain = useCanMaintain(project.team.id);
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.project.update.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await queryClient.invalidateQueries({ queryKey: trpc.project.pathKey() });
      },
    }),
  );
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setSaved(false);
    update.mutate({ projectId, name: String(f.get('name')), retentionDays: Number(f.get('retentionDays')) });
  }
  return (
    <Card title="Settings" id="project-settings">
      <form className="ui-form" onSubmit={onSubmit} aria-label="Project settings">
        {update.error ? <Notice tone="error">{errorMessage(update.error)}</Notice> : null}
        {saved && !update.isPending ? <Notice tone="success">Saved.</Notice> : null}
        <fieldset disabled={!canMaintain} style={{ border: 0, padding: 0, margin: 0 }} className="ui-form">
          <TextField label="Name" name="name" defaultValue={project.name} required maxLength={80} />
          <RetentionField defaultValue={project.retentionDays} />
        </fieldset>
        {canMaintain ? (
          <div className="ui-form-actions">
            <Button type="submit" variant="primary" busy={update.isPending}>
              Save changes
            </Button>
          </div>
        ) : (
          <p className="ui-hint">Only maintainers of {project.team.name} and workspace admins can change these settings.</p>
        )}
      </form>
    </Card>
  );
}

export function ProjectPage({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const { data: project } = useSuspenseQuery(trpc.project.get.queryOptions({ projectId }));
  const canMaintain = useCanMaintain(project.team.id);
  return (
    <>
      <p style={{ margin: '0 0 8px' }}>
        <Link href="/projects">← Projects</Link>
      </p>
      <PageHeader
        title={project.name}
        description={
          <>
            Maintained by <Badge>{project.team.name}</Badge> · slug <code>{project.slug}</code> · {project.modelCount} models
          </>
        }
      />
      <div className="ui-stack">
        {canMaintain ? (
          <ApiKeys projectId={projectId} teamId={project.team.id} />
        ) : (
          <Card title="API keys" id="api-keys">
            <p className="ui-hint">Only maintainers of {project.team.name} and workspace admins can see and manage this project’s API keys.</p>
          </Card>
        )}
        <ProjectSettings projectId={projectId} />
      </div>
    </>
  );
}
