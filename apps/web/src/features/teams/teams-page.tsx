'use client';

import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, Dialog, EmptyState, FormActions, Notice, PageHeader, SelectField, Table, Td, TextField, Th } from '~/components/ui';
import { useCanMaintain, useWorkspace } from '~/features/workspace/use-workspace';
import { errorMessage } from '~/lib/errors';
import { useTRPC, type RouterOutputs } from '~/trpc/react';

type Team = RouterOutputs['team']['list'][number];
const TEAM_ROLES = [
  { value: 'MEMBER', label: 'Member' },
  { value: 'MAINTAINER', label: 'Maintainer' },
] as const;

function useInvalidateTeams() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.team.pathKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.workspace.current.queryKey() });
  };
}

function CreateTeamDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateTeams();
  const create = useMutation(trpc.team.create.mutationOptions({ onSuccess: async () => (await invalidate(), onClose()) }));
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    create.mutate({ name: String(new FormData(e.currentTarget).get('name')) });
  }
  return (
    <Dialog open={open} onClose={onClose} title="New team" description="You become the team’s first maintainer. Maintainers manage the team’s projects, API keys and alert rules.">
      <form className="ui-form" onSubmit={onSubmit}>
        {create.error ? <Notice tone="error">{errorMessage(create.error)}</Notice> : null}
        <TextField label="Team name" name="name" required maxLength={80} autoFocus placeholder="e.g. Risk ML" />
        <FormActions onCancel={onClose} busy={create.isPending} submitLabel="Create team" />
      </form>
    </Dialog>
  );
}

function TeamCard({ team }: { team: Team }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateTeams();
  const canMaintain = useCanMaintain(team.id);
  const { data: members } = useSuspenseQuery(trpc.member.list.queryOptions());
  const setMember = useMutation(trpc.team.setMember.mutationOptions({ onSuccess: invalidate }));
  const removeMember = useMutation(trpc.team.removeMember.mutationOptions({ onSuccess: invalidate }));
  const candidates = members.filter((m) => !team.members.some((tm) => tm.id === m.id));
  const error = setMember.error ?? removeMember.error;

  function onAdd(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setMember.mutate({ teamId: team.id, userId: String(f.get('userId')), role: String(f.get('role')) as 'MEMBER' | 'MAINTAINER' });
  }

  return (
    <Card title={team.name} id={`team-${team.id}`} actions={<Badge>{team.projectCount} projects</Badge>}>
      {error ? <Notice tone="error">{errorMessage(error)}</Notice> : null}
      <Table caption={`Members of ${team.name}`}>
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Email</Th>
            <Th>Team role</Th>
            {canMaintain ? <Th className="ui-actions">Actions</Th> : null}
          </tr>
        </thead>
        <tbody>
          {team.members.map((m) => (
            <tr key={m.id}>
              <Td>{m.name}</Td>
              <Td>{m.email}</Td>
              <Td>
                {canMaintain ? (
                  <select
                    aria-label={`Team role of ${m.name}`}
                    className="ui-input ui-select"
                    style={{ width: 150 }}
                    value={m.role}
                    onChange={(e) => setMember.mutate({ teamId: team.id, userId: m.id, role: e.target.value as 'MEMBER' | 'MAINTAINER' })}
                  >
                    {TEAM_ROLES.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <Badge tone={m.role === 'MAINTAINER' ? 'accent' : 'neutral'}>{m.role.toLowerCase()}</Badge>
                )}
              </Td>
              {canMaintain ? (
                <Td className="ui-actions">
                  <Button size="sm" variant="danger" onClick={() => removeMember.mutate({ teamId: team.id, userId: m.id })}>
                    Remove
                  </Button>
                </Td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>
      {canMaintain && candidates.length > 0 ? (
        <form className="ui-row" style={{ marginTop: 14, alignItems: 'flex-end' }} onSubmit={onAdd} aria-label={`Add a member to ${team.name}`}>
          <div style={{ flex: 2, minWidth: 200 }}>
            <SelectField label="Add a workspace member" name="userId" options={candidates.map((c) => ({ value: c.id, label: `${c.name} (${c.email})` }))} />
          </div>
          <div style={{ flex: 1, minWidth: 140 }}>
            <SelectField label="as" name="role" options={TEAM_ROLES} />
          </div>
          <Button type="submit" busy={setMember.isPending}>
            Add to team
          </Button>
        </form>
      ) : null}
      {canMaintain && candidates.length === 0 ? (
        <p className="ui-hint" style={{ marginTop: 12 }}>
          Everyone in the workspace is in this team. Invite colleagues on the Members page to add more.
        </p>
      ) : null}
    </Card>
  );
}

export function TeamsPage() {
  const trpc = useTRPC();
  const ws = useWorkspace();
  const { data: teams } = useSuspenseQuery(trpc.team.list.queryOptions());
  const [open, setOpen] = useState(false);
  const createButton = ws.canWrite ? (
    <Button variant="primary" onClick={() => setOpen(true)}>
      New team
    </Button>
  ) : null;
  return (
    <>
      <PageHeader title="Teams" description="A team owns projects; its maintainers manage their keys, models and alert rules." actions={createButton} />
      <div className="ui-stack">
        {teams.length === 0 ? (
          <EmptyState title="No teams yet" action={createButton}>
            Create a team for the people who run a group of models. Projects are created under a team.
          </EmptyState>
        ) : (
          teams.map((t) => <TeamCard key={t.id} team={t} />)
        )}
      </div>
      <CreateTeamDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}
