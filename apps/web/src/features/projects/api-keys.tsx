'use client';

import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, CopyButton, Dialog, FormActions, EmptyState, Notice, Table, Td, TextField, Th } from '~/components/ui';
import { useCanMaintain } from '~/features/workspace/use-workspace';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/trpc/react';
import { sdkSnippets } from './sdk-snippet';

const SCOPES = [
  { value: 'ingest', label: 'ingest', hint: 'send predictions and labels' },
  { value: 'read', label: 'read', hint: 'read models and metrics' },
  { value: 'admin', label: 'admin', hint: 'manage models and references' },
] as const;

const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : 'never');

interface CreatedKey {
  name: string;
  secret: string;
  endpoint: string;
}

function CreatedKeyPanel({ created }: { created: CreatedKey }) {
  const snippets = sdkSnippets(created.endpoint, created.secret);
  return (
    <div className="ui-stack" data-testid="created-key">
      <Notice tone="success">
        Copy the key now: it is shown only once. Vigil keeps only a hash and cannot show it again.
      </Notice>
      <div className="ui-secret">
        <code data-testid="api-key-secret">{created.secret}</code>
        <CopyButton text={created.secret} label="Copy key" />
      </div>
      <div>
        <div className="ui-row" style={{ justifyContent: 'space-between', marginBottom: 6 }}>
          <strong>Send predictions with the SDK</strong>
          <CopyButton text={snippets.typescript} label="Copy snippet" />
        </div>
        <pre className="ui-code">{snippets.typescript}</pre>
      </div>
      <div>
        <div className="ui-row" style={{ justifyContent: 'space-between', marginBottom: 6 }}>
          <strong>…or over HTTP</strong>
          <CopyButton text={snippets.curl} label="Copy command" />
        </div>
        <pre className="ui-code">{snippets.curl}</pre>
      </div>
    </div>
  );
}

function CreateKeyDialog({ projectId, open, onClose }: { projectId: string; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const create = useMutation(
    trpc.apiKey.create.mutationOptions({
      onSuccess: async (key) => {
        setCreated(key);
        await queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.queryKey({ projectId }) });
        await queryClient.invalidateQueries({ queryKey: trpc.project.pathKey() });
      },
    }),
  );
  const close = () => {
    setCreated(null);
    create.reset();
    onClose();
  };
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const scopes = f.getAll('scopes').map(String) as ('ingest' | 'read' | 'admin')[];
    create.mutate({ projectId, name: String(f.get('name')), scopes });
  }
  return (
    <Dialog open={open} onClose={close} title={created ? `Key “${created.name}” created` : 'New API key'}>
      {created ? (
        <div className="ui-stack">
          <CreatedKeyPanel created={created} />
          <div className="ui-form-actions">
            <Button variant="primary" onClick={close}>
              I have copied the key
            </Button>
          </div>
        </div>
      ) : (
        <form className="ui-form" onSubmit={onSubmit}>
          {create.error ? <Notice tone="error">{errorMessage(create.error)}</Notice> : null}
          <TextField label="Name" name="name" required maxLength={80} autoFocus placeholder="e.g. production scorer" hint="Say where the key is used, so you know what breaks when you revoke it." />
          <fieldset className="ui-checks">
            <legend>Scopes</legend>
            {SCOPES.map((s) => (
              <label key={s.value} className="ui-check">
                <input type="checkbox" name="scopes" value={s.value} defaultChecked={s.value === 'ingest'} /> {s.label}
                <span className="ui-hint">({s.hint})</span>
              </label>
            ))}
          </fieldset>
          <FormActions onCancel={close} busy={create.isPending} submitLabel="Create key" />
        </form>
      )}
    </Dialog>
  );
}

export function ApiKeys({ projectId, teamId }: { projectId: string; teamId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canMaintain = useCanMaintain(teamId);
  const { data: keys } = useSuspenseQuery(trpc.apiKey.list.queryOptions({ projectId }));
  const [open, setOpen] = useState(false);
  const revoke = useMutation(
    trpc.apiKey.revoke.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.queryKey({ projectId }) });
        await queryClient.invalidateQueries({ queryKey: trpc.project.pathKey() });
      },
    }),
  );
  const newKey = canMaintain ? (
    <Button variant="primary" onClick={() => setOpen(true)}>
      New API key
    </Button>
  ) : null;
  return (
    <Card title="API keys" id="api-keys" actions={newKey}>
      {revoke.error ? <Notice tone="error">{errorMessage(revoke.error)}</Notice> : null}
      {keys.length === 0 ? (
        <EmptyState title="No API keys yet" action={newKey}>
          {canMaintain
            ? 'Create a key with the ingest scope and use it in the SDK to start sending predictions.'
            : 'A maintainer of this project’s team can create keys for it.'}
        </EmptyState>
      ) : (
        <Table caption="API keys">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Prefix</Th>
              <Th>Scopes</Th>
              <Th>Created</Th>
              <Th>Last used</Th>
              <Th>Status</Th>
              {canMaintain ? <Th className="ui-actions">Actions</Th> : null}
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} data-key-prefix={k.prefix}>
                <Td>{k.name}</Td>
                <Td>
                  <code>{k.prefix}_…</code>
                </Td>
                <Td>
                  <span className="ui-row">
                    {k.scopes.map((s) => (
                      <Badge key={s}>{s}</Badge>
                    ))}
                  </span>
                </Td>
                <Td>
                  {when(k.createdAt)}
                  {k.createdBy ? <div className="ui-hint">by {k.createdBy}</div> : null}
                </Td>
                <Td>{when(k.lastUsedAt)}</Td>
                <Td>{k.revokedAt ? <Badge tone="danger">revoked</Badge> : <Badge tone="ok">active</Badge>}</Td>
                {canMaintain ? (
                  <Td className="ui-actions">
                    {k.revokedAt ? null : (
                      <Button
                        size="sm"
                        variant="danger"
                        busy={revoke.isPending && revoke.variables?.apiKeyId === k.id}
                        onClick={() => {
                          if (window.confirm(`Revoke “${k.name}” (${k.prefix})? Requests using it will get 401 at once.`)) {
                            revoke.mutate({ projectId, apiKeyId: k.id });
                          }
                        }}
                      >
                        Revoke
                      </Button>
                    )}
                  </Td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <CreateKeyDialog projectId={projectId} open={open} onClose={() => setOpen(false)} />
    </Card>
  );
}
