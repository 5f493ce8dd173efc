'use client';

import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import type { ChannelInput, ChannelType } from '@vigil/contracts';
import { useState, type FormEvent } from 'react';
import { Badge, Button, CopyButton, Dialog, EmptyState, FormActions, Notice, PageHeader, SelectField, Table, Td, TextField, Th } from '~/components/ui';
import { errorMessage } from '~/lib/errors';
import { useTRPC, type RouterOutputs } from '~/trpc/react';
import { when } from './format';
import { TeamCard } from './team-card';
import { useAlertingTeams, type AlertingTeam } from './use-alerting-teams';

type Channel = RouterOutputs['channel']['list'][number];
type Delivery = RouterOutputs['channel']['deliveries'][number];

const TYPES: { value: ChannelType; label: string }[] = [
  { value: 'webhook', label: 'Webhook (JSON, signed)' },
  { value: 'slack', label: 'Slack incoming webhook' },
  { value: 'email', label: 'Email' },
  { value: 'pagerduty', label: 'PagerDuty Events v2' },
];
const TYPE_LABEL: Record<ChannelType, string> = { webhook: 'webhook', slack: 'Slack', email: 'email', pagerduty: 'PagerDuty' };

/** How a receiver checks that a webhook request came from Vigil. */
export const WEBHOOK_VERIFY_SNIPPET = `import { createHmac, timingSafeEqual } from 'node:crypto';

// timestamp: the X-Vigil-Timestamp header (unix seconds); rawBody: the request body as received.
function isFromVigil(secret, timestamp, rawBody, signatureHeader) {
  const expected = 'v1=' + createHmac('sha256', secret).update(\`\${timestamp}.\${rawBody}\`).digest('hex');
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300; // refuse replays
  return fresh && signatureHeader.length === expected.length &&
    timingSafeEqual(Buffer.from(signatureHeader), Buffer.from(expected));
}`;

/** The non-secret settings a channel shows. */
function settingsOf(c: Channel): string {
  const cfg = c.config as { host?: string; to?: string[]; routingKeyEnd?: string };
  switch (c.type) {
    case 'webhook':
    case 'slack':
      return cfg.host ? `https://${cfg.host}/…` : '—';
    case 'email':
      return (cfg.to ?? []).join(', ');
    case 'pagerduty':
      return cfg.routingKeyEnd ? `routing key …${cfg.routingKeyEnd}` : '—';
  }
}

function WebhookRecipe() {
  return (
    <div className="ui-stack" style={{ gap: 8 }}>
      <strong>Verifying requests</strong>
      <p className="ui-hint">
        Every request carries <code>X-Vigil-Timestamp</code> (unix seconds) and <code>X-Vigil-Signature: v1=&lt;hex&gt;</code>, the
        HMAC-SHA256 of <code>&lt;X-Vigil-Timestamp&gt;.&lt;body&gt;</code> keyed with the signing secret. Compute it over the raw body and
        compare in constant time.
      </p>
      <div className="ui-row" style={{ justifyContent: 'flex-end' }}>
        <CopyButton text={WEBHOOK_VERIFY_SNIPPET} label="Copy snippet" />
      </div>
      <pre className="ui-code">{WEBHOOK_VERIFY_SNIPPET}</pre>
    </div>
  );
}

function CreateChannelDialog({ open, onClose, teams }: { open: boolean; onClose: () => void; teams: AlertingTeam[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [type, setType] = useState<ChannelType>('webhook');
  const [created, setCreated] = useState<{ name: string; type: ChannelType; signingSecret?: string } | null>(null);
  const create = useMutation(
    trpc.channel.create.mutationOptions({
      onSuccess: async (r) => {
        await queryClient.invalidateQueries({ queryKey: trpc.channel.pathKey() });
        if (r.channel.type === 'webhook') setCreated({ name: r.channel.name, type: r.channel.type, ...(r.signingSecret ? { signingSecret: r.signingSecret } : {}) });
        else close();
      },
    }),
  );
  function close() {
    setCreated(null);
    setType('webhook');
    create.reset();
    onClose();
  }
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const field = (k: string) => String(f.get(k) ?? '').trim();
    const name = field('name');
    let channel: ChannelInput;
    switch (type) {
      case 'webhook':
        channel = { type, name, url: field('url'), ...(field('signingSecret') ? { signingSecret: field('signingSecret') } : {}) };
        break;
      case 'slack':
        channel = { type, name, webhookUrl: field('webhookUrl') };
        break;
      case 'email':
        channel = { type, name, to: field('to').split(/[\s,;]+/).filter(Boolean) };
        break;
      case 'pagerduty':
        channel = { type, name, routingKey: field('routingKey') };
        break;
    }
    create.mutate({ teamId: field('teamId'), channel });
  }
  const fieldErrors = (create.error?.data as { fieldErrors?: { path: string; message: string }[] | null } | undefined)?.fieldErrors ?? [];
  const errorOf = (key: string) => fieldErrors.filter((e) => e.path === `channel.${key}` || e.path.startsWith(`channel.${key}.`)).map((e) => e.message).join('; ') || null;
  return (
    <Dialog open={open} onClose={close} title={created ? `Channel “${created.name}” created` : 'New notification channel'}>
      {created ? (
        <div className="ui-stack" data-testid="created-channel">
          {created.signingSecret ? (
            <>
              <Notice tone="success">Copy the signing secret now: it is shown only once. Vigil stores it encrypted and cannot show it again.</Notice>
              <div className="ui-secret">
                <code data-testid="signing-secret">{created.signingSecret}</code>
                <CopyButton text={created.signingSecret} label="Copy secret" />
              </div>
            </>
          ) : (
            <Notice tone="success">Requests are signed with the secret you gave.</Notice>
          )}
          <WebhookRecipe />
          <div className="ui-form-actions">
            <Button variant="primary" onClick={close}>
              {created.signingSecret ? 'I have copied the secret' : 'Done'}
            </Button>
          </div>
        </div>
      ) : (
        <form className="ui-form" onSubmit={onSubmit}>
          {create.error && fieldErrors.length === 0 ? <Notice tone="error">{errorMessage(create.error)}</Notice> : null}
          <div className="ui-grid">
            <SelectField label="Team" name="teamId" options={teams.map((t) => ({ value: t.id, label: t.name }))} />
            <SelectField label="Type" name="type" value={type} onChange={(e) => setType(e.target.value as ChannelType)} options={TYPES} />
          </div>
          <TextField label="Name" name="name" required maxLength={200} autoFocus placeholder="e.g. risk-oncall" error={errorOf('name')} />
          {type === 'webhook' ? (
            <>
              <TextField label="URL" name="url" type="url" required placeholder="https://example.com/hooks/vigil" error={errorOf('url')} hint="Vigil POSTs JSON here. The URL is stored encrypted." />
              <TextField
                label="Signing secret (optional)"
                name="signingSecret"
                minLength={16}
                maxLength={256}
                autoComplete="off"
                error={errorOf('signingSecret')}
                hint="Leave empty and Vigil generates one and shows it once."
              />
            </>
          ) : null}
          {type === 'slack' ? (
            <TextField label="Slack webhook URL" name="webhookUrl" type="url" required placeholder="https://hooks.slack.com/services/…" error={errorOf('webhookUrl')} hint="Stored encrypted." />
          ) : null}
          {type === 'email' ? (
            <TextField label="Recipients" name="to" required placeholder="oncall@example.com, ml-team@example.com" error={errorOf('to')} hint="Up to 20 addresses, separated by commas. Sent over the worker's SMTP server." />
          ) : null}
          {type === 'pagerduty' ? (
            <TextField label="Routing key" name="routingKey" required minLength={8} maxLength={64} autoComplete="off" error={errorOf('routingKey')} hint="The integration key of a PagerDuty Events v2 service. Stored encrypted; alerts use their fingerprint as dedup key." />
          ) : null}
          <FormActions onCancel={close} busy={create.isPending} submitLabel="Create channel" />
        </form>
      )}
    </Dialog>
  );
}

function deliveryText(d: Delivery): string {
  const last = d.attempts.at(-1);
  const http = last?.statusCode ? `HTTP ${last.statusCode}` : null;
  switch (d.status) {
    case 'delivered':
      return `Delivered ${when(d.deliveredAt)}${http ? ` (${http} in ${last!.durationMs} ms)` : ''}.`;
    case 'failed':
      return `Failed after ${d.attempts.length} attempt${d.attempts.length === 1 ? '' : 's'}: ${d.lastError ?? last?.error ?? 'unknown error'}.`;
    case 'pending':
      return d.attempts.length > 0
        ? `Pending: attempt ${d.attempts.length} failed (${d.lastError ?? last?.error ?? http ?? 'unknown error'}), retrying.`
        : 'Pending: the worker sends it within seconds.';
  }
}

const DELIVERY_TONE = { pending: 'warn', delivered: 'ok', failed: 'danger' } as const;

/** Follows one test delivery until it is delivered or has failed. */
function TestStatus({ channelId, deliveryId }: { channelId: string; deliveryId: string }) {
  const trpc = useTRPC();
  const { data } = useQuery({
    ...trpc.channel.deliveries.queryOptions({ channelId }),
    refetchInterval: (q) => (q.state.data?.find((d) => d.id === deliveryId)?.status ?? 'pending') === 'pending' ? 1500 : false,
    staleTime: 0,
  });
  const d = data?.find((x) => x.id === deliveryId);
  return (
    <div className="ui-row" data-testid="test-delivery" data-status={d?.status ?? 'pending'} aria-live="polite">
      <strong>Test notification:</strong>
      <Badge tone={DELIVERY_TONE[d?.status ?? 'pending']}>{d?.status ?? 'pending'}</Badge>
      <span className="ui-hint">{d ? deliveryText(d) : 'Queued…'}</span>
    </div>
  );
}

function DeliveriesDialog({ channel, onClose }: { channel: Channel; onClose: () => void }) {
  const trpc = useTRPC();
  const { data, error, isPending } = useQuery({ ...trpc.channel.deliveries.queryOptions({ channelId: channel.id }), refetchInterval: 5000, staleTime: 0 });
  return (
    <Dialog open onClose={onClose} title={`Deliveries of “${channel.name}”`} description="The latest 20 notifications sent to this channel, with every attempt." size="wide">
      {error ? <Notice tone="error">{errorMessage(error)}</Notice> : null}
      {isPending ? <p className="ui-muted">Loading…</p> : null}
      {data && data.length === 0 ? <EmptyState title="Nothing sent yet">Send a test notification to check the channel.</EmptyState> : null}
      {data && data.length > 0 ? (
        <Table caption={`Deliveries of ${channel.name}`}>
          <thead>
            <tr>
              <Th>Queued</Th>
              <Th>Kind</Th>
              <Th>Status</Th>
              <Th>Details</Th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.id}>
                <Td>{when(d.createdAt)}</Td>
                <Td>{d.kind}</Td>
                <Td>
                  <Badge tone={DELIVERY_TONE[d.status]}>{d.status}</Badge>
                </Td>
                <Td className="ui-hint">{deliveryText(d)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </Dialog>
  );
}

function ChannelRows({ channel, canChange }: { channel: Channel; canChange: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.channel.list.queryKey() });
  const [testId, setTestId] = useState<string | null>(null);
  const [showDeliveries, setShowDeliveries] = useState(false);
  const update = useMutation(trpc.channel.update.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(
    trpc.channel.delete.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        // Deleting a channel takes it out of the team's rules.
        await queryClient.invalidateQueries({ queryKey: trpc.alertRule.pathKey() });
      },
    }),
  );
  const test = useMutation(trpc.channel.test.mutationOptions({ onSuccess: (r) => setTestId(r.deliveryId) }));
  const error = update.error ?? remove.error ?? test.error;
  return (
    <>
      <tr data-channel={channel.name}>
        <Td>
          <Badge>{TYPE_LABEL[channel.type]}</Badge>
        </Td>
        <Td>{channel.name}</Td>
        <Td className="ui-hint">{settingsOf(channel)}</Td>
        <Td>{channel.enabled ? <Badge tone="ok">enabled</Badge> : <Badge>disabled</Badge>}</Td>
        <Td className="ui-actions">
          <span className="ui-row" style={{ justifyContent: 'flex-end' }}>
            <Button size="sm" variant="ghost" onClick={() => setShowDeliveries(true)}>
              Deliveries
            </Button>
            {canChange ? (
              <>
                <Button size="sm" busy={test.isPending} onClick={() => test.mutate({ channelId: channel.id })}>
                  Send test notification
                </Button>
                <Button size="sm" busy={update.isPending} onClick={() => update.mutate({ channelId: channel.id, enabled: !channel.enabled })}>
                  {channel.enabled ? 'Disable' : 'Enable'}
                </Button>
                <Button
                  size="sm"
                  variant="danger"
                  busy={remove.isPending}
                  onClick={() => {
                    if (window.confirm(`Delete the channel “${channel.name}”? Rules that notify it stop doing so.`)) remove.mutate({ channelId: channel.id });
                  }}
                >
                  Delete
                </Button>
              </>
            ) : null}
          </span>
          {showDeliveries ? <DeliveriesDialog channel={channel} onClose={() => setShowDeliveries(false)} /> : null}
        </Td>
      </tr>
      {testId || error ? (
        <tr>
          <Td colSpan={5}>
            {error ? <Notice tone="error">{errorMessage(error)}</Notice> : null}
            {testId ? <TestStatus channelId={channel.id} deliveryId={testId} /> : null}
          </Td>
        </tr>
      ) : null}
    </>
  );
}

function TeamChannels({ team, channels }: { team: AlertingTeam; channels: Channel[] }) {
  return (
    <TeamCard
      team={team}
      id={`channels-${team.id}`}
      count={channels.length}
      noun={['channel', 'channels']}
      empty={{ title: 'No channels yet', canChange: 'Add a channel so this team’s rules can notify someone.', readOnly: 'A maintainer of this team can add channels.' }}
    >
      <Table caption={`Notification channels of ${team.name}`}>
        <thead>
          <tr>
            <Th>Type</Th>
            <Th>Name</Th>
            <Th>Settings</Th>
            <Th>Status</Th>
            <Th className="ui-actions">Actions</Th>
          </tr>
        </thead>
        <tbody>
          {channels.map((c) => (
            <ChannelRows key={c.id} channel={c} canChange={team.canChange} />
          ))}
        </tbody>
      </Table>
    </TeamCard>
  );
}

export function ChannelsPage() {
  const trpc = useTRPC();
  const teams = useAlertingTeams();
  const { data: channels } = useSuspenseQuery(trpc.channel.list.queryOptions());
  const [open, setOpen] = useState(false);
  const changeable = teams.filter((t) => t.canChange);
  const createButton =
    changeable.length > 0 ? (
      <Button variant="primary" onClick={() => setOpen(true)}>
        New channel
      </Button>
    ) : null;
  return (
    <>
      <PageHeader title="Channels" description="Where a team’s alerts are sent. Secrets (URLs with tokens, routing keys, signing secrets) are stored encrypted and never shown again." actions={createButton} />
      <div className="ui-stack">
        {teams.length === 0 ? (
          <EmptyState title="You are in no team yet">Channels belong to teams. Ask a workspace admin to add you to a team.</EmptyState>
        ) : (
          teams.map((t) => <TeamChannels key={t.id} team={t} channels={channels.filter((c) => c.teamId === t.id)} />)
        )}
      </div>
      <CreateChannelDialog open={open} onClose={() => setOpen(false)} teams={changeable} />
    </>
  );
}
