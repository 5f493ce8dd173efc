'use client';

import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, CopyButton, EmptyState, Notice, PageHeader, SelectField, Table, Td, TextField, Th } from '~/components/ui';
import { useWorkspace } from '~/features/workspace/use-workspace';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/trpc/react';

type Role = 'OWNER' | 'ADMIN' | 'MEMBER' | 'VIEWER';
const ROLES: { value: Role; label: string }[] = [
  { value: 'OWNER', label: 'Owner' },
  { value: 'ADMIN', label: 'Admin' },
  { value: 'MEMBER', label: 'Member' },
  { value: 'VIEWER', label: 'Viewer' },
];
const ROLE_TONE = { OWNER: 'accent', ADMIN: 'accent', MEMBER: 'neutral', VIEWER: 'warn' } as const;
const day = (d: Date) => d.toISOString().slice(0, 10);

function MembersTable() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ws = useWorkspace();
  const { data: members } = useSuspenseQuery(trpc.member.list.queryOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.member.pathKey() });
  const updateRole = useMutation(trpc.member.updateRole.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.member.remove.mutationOptions({ onSuccess: invalidate }));
  // Admins manage members; only owners grant, change or remove the owner role; the last owner stays.
  const owners = members.filter((m) => m.role === 'OWNER').length;
  const canManage = (role: Role) =>
    ws.isAdmin && (role !== 'OWNER' || (ws.role === 'OWNER' && owners > 1));
  const roleOptions = ws.role === 'OWNER' ? ROLES : ROLES.filter((r) => r.value !== 'OWNER');
  const error = updateRole.error ?? remove.error;

  return (
    <Card title={`Members (${members.length})`} id="members">
      {error ? <Notice tone="error">{errorMessage(error)}</Notice> : null}
      <Table caption="Workspace members">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>Joined</Th>
            {ws.isAdmin ? <Th className="ui-actions">Actions</Th> : null}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.id}>
              <Td>
                {m.name}
                {m.id === ws.user.id ? <span className="ui-muted"> (you)</span> : null}
              </Td>
              <Td>{m.email}</Td>
              <Td>
                {canManage(m.role) ? (
                  <select
                    aria-label={`Role of ${m.name}`}
                    className="ui-input ui-select"
                    style={{ width: 130 }}
                    value={m.role}
                    onChange={(e) => updateRole.mutate({ userId: m.id, role: e.target.value as Role })}
                  >
                    {roleOptions.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <Badge tone={ROLE_TONE[m.role]}>{m.role.toLowerCase()}</Badge>
                )}
              </Td>
              <Td>{day(m.joinedAt)}</Td>
              {ws.isAdmin ? (
                <Td className="ui-actions">
                  {canManage(m.role) ? (
                    <Button
                      size="sm"
                      variant="danger"
                      onClick={() => {
                        if (window.confirm(`Remove ${m.name} from ${ws.organization.name}?`)) remove.mutate({ userId: m.id });
                      }}
                    >
                      Remove
                    </Button>
                  ) : null}
                </Td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}

function Invitations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ws = useWorkspace();
  const { data: invitations } = useSuspenseQuery(trpc.invitation.list.queryOptions());
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.invitation.pathKey() });
  const create = useMutation(
    trpc.invitation.create.mutationOptions({
      onSuccess: async (inv) => {
        setLink({ email: inv.email, url: inv.link });
        await invalidate();
      },
    }),
  );
  const revoke = useMutation(trpc.invitation.revoke.mutationOptions({ onSuccess: invalidate }));
  const roleOptions = ws.role === 'OWNER' ? ROLES : ROLES.filter((r) => r.value !== 'OWNER');

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setLink(null);
    create.mutate({ email: String(f.get('email')), role: String(f.get('role')) as Role }, { onSuccess: () => form.reset() });
  }

  const pending = invitations.filter((i) => i.status === 'pending');
  return (
    <Card title="Invite people" id="invite">
      <form className="ui-row" style={{ alignItems: 'flex-end' }} onSubmit={onSubmit} aria-label="Invite someone">
        <div style={{ flex: 2, minWidth: 220 }}>
          <TextField label="Email" name="email" type="email" required placeholder="colleague@example.com" />
        </div>
        <div style={{ flex: 1, minWidth: 140 }}>
          <SelectField label="Role" name="role" options={roleOptions} defaultValue="MEMBER" />
        </div>
        <Button type="submit" variant="primary" busy={create.isPending}>
          Create invitation link
        </Button>
      </form>
      <div className="ui-stack" style={{ marginTop: 14 }}>
        {create.error ? <Notice tone="error">{errorMessage(create.error)}</Notice> : null}
        {link ? (
          <div className="ui-stack" data-testid="invitation-link">
            <Notice tone="success">
              Send this link to {link.email}. It works once, for that address, for 7 days. It is shown only now.
            </Notice>
            <div className="ui-secret">
              <code>{link.url}</code>
              <CopyButton text={link.url} label="Copy link" />
            </div>
          </div>
        ) : null}
        {revoke.error ? <Notice tone="error">{errorMessage(revoke.error)}</Notice> : null}
        {pending.length === 0 ? (
          <p className="ui-hint">No open invitations. Invite someone above; they choose a password when they open the link.</p>
        ) : (
          <Table caption="Open invitations">
            <thead>
              <tr>
                <Th>Email</Th>
                <Th>Role</Th>
                <Th>Expires</Th>
                <Th className="ui-actions">Actions</Th>
              </tr>
            </thead>
            <tbody>
              {pending.map((i) => (
                <tr key={i.id}>
                  <Td>{i.email}</Td>
                  <Td>
                    <Badge tone={ROLE_TONE[i.role]}>{i.role.toLowerCase()}</Badge>
                  </Td>
                  <Td>{day(i.expiresAt)}</Td>
                  <Td className="ui-actions">
                    <Button size="sm" variant="danger" onClick={() => revoke.mutate({ invitationId: i.id })}>
                      Revoke
                    </Button>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </div>
    </Card>
  );
}

export function MembersPage() {
  const ws = useWorkspace();
  return (
    <>
      <PageHeader title="Members" description="Owners and admins manage everything; members work in their teams; viewers read only." />
      <div className="ui-stack">
        {ws.isAdmin ? <Invitations /> : <EmptyState title="Invitations are managed by admins">Ask an owner or admin of {ws.organization.name} to invite colleagues or change roles.</EmptyState>}
        <MembersTable />
      </div>
    </>
  );
}
