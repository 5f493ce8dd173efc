'use client';

import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button, Card, Dialog, EmptyState, FormActions, Notice, PageHeader, SelectField, TextField } from '~/components/ui';
import { useWorkspace } from '~/features/workspace/use-workspace';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/trpc/react';
import { ProjectsTable } from './projects-table';
import { RetentionField } from './retention-field';

function CreateProjectDialog({ open, onClose, teams }: { open: boolean; onClose: () => void; teams: { id: string; name: string }[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.project.create.mutationOptions({
      onSuccess: async (p) => {
        await queryClient.invalidateQueries({ queryKey: trpc.project.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.workspace.current.queryKey() });
        onClose();
        router.push(`/projects/${p.id}`);
      },
    }),
  );
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    create.mutate({ teamId: String(f.get('teamId')), name: String(f.get('name')), retentionDays: Number(f.get('retentionDays')) });
  }
  return (
    <Dialog open={open} onClose={onClose} title="New project" description="The team you choose maintains the project: its API keys, models and alert rules.">
      <form className="ui-form" onSubmit={onSubmit}>
        {create.error ? <Notice tone="error">{errorMessage(create.error)}</Notice> : null}
        <TextField label="Name" name="name" required maxLength={80} autoFocus placeholder="e.g. Fraud detection" />
        <SelectField label="Team" name="teamId" options={teams.map((t) => ({ value: t.id, label: t.name }))} />
        <RetentionField defaultValue={30} />
        <FormActions onCancel={onClose} busy={create.isPending} submitLabel="Create project" />
      </form>
    </Dialog>
  );
}

export function ProjectsPage() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const { data: projects } = useSuspenseQuery(trpc.project.list.queryOptions());
  const { data: teams } = useSuspenseQuery(trpc.team.list.queryOptions());
  const [open, setOpen] = useState(false);
  // Projects can be created under teams the user maintains (admins: any team).
  const creatableTeams = ws.canWrite ? teams.filter((t) => ws.isAdmin || ws.maintainedTeamIds.includes(t.id)) : [];
  const createButton =
    creatableTeams.length > 0 ? (
      <Button variant="primary" onClick={() => setOpen(true)}>
        New project
      </Button>
    ) : null;

  return (
    <>
      <PageHeader title="Projects & API keys" description="Each project has its own API keys; its team maintains it." actions={createButton} />
      {!ws.canWrite ? <Notice tone="info">You have read-only access to this workspace.</Notice> : null}
      <div style={{ height: 12 }} />
      <Card>
        {projects.length === 0 ? (
          <EmptyState title="No projects yet" action={createButton}>
            {creatableTeams.length > 0
              ? 'Create a project for the service whose models you want to monitor. You will get an API key for the SDK next.'
              : 'Ask a maintainer of a team or a workspace admin to create a project.'}
          </EmptyState>
        ) : (
          <ProjectsTable projects={projects} detailed />
        )}
      </Card>
      <CreateProjectDialog open={open} onClose={() => setOpen(false)} teams={creatableTeams} />
    </>
  );
}
