'use client';

import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { Badge, Button, EmptyState, Notice, PageHeader, Table, Td, Th } from '~/components/ui';
import { errorMessage } from '~/lib/errors';
import { useTRPC, type RouterOutputs } from '~/trpc/react';
import { NotificationPolicySection } from './notification-policy';
import { RuleEditor } from './rule-editor';
import { conditionSummary } from './rule-form';
import { TeamCard } from './team-card';
import { useAlertingTeams, type AlertingTeam } from './use-alerting-teams';

type Rule = RouterOutputs['alertRule']['list'][number];
type Channel = RouterOutputs['channel']['list'][number];

const GRANULARITY_LABEL: Record<string, string> = { hour: 'hourly', day: 'daily', rolling_1h: 'rolling 1 h' };

function columnSummary(rule: Rule): string | null {
  const c = rule.definition.column;
  const segment = rule.definition.segment ? `segment ${rule.definition.segment.tag}${rule.definition.segment.values ? `=${rule.definition.segment.values.join('|')}` : ''}` : null;
  const column = c.kind === 'one' ? `column ${c.name}` : c.kind === 'list' ? `columns ${c.names.join(', ')}` : null;
  return [column, segment].filter(Boolean).join(' · ') || null;
}

function RuleRow({ rule, channels, canChange, onEdit }: { rule: Rule; channels: Map<string, Channel>; canChange: boolean; onEdit: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(trpc.alertRule.delete.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.alertRule.pathKey() }) }));
  const d = rule.definition;
  const detail = columnSummary(rule);
  return (
    <tr data-rule={rule.name}>
      <Td>
        {rule.name}
        {remove.error ? <div className="ui-field-error">{errorMessage(remove.error)}</div> : null}
      </Td>
      <Td>
        <code>{d.metric}</code>
        {detail ? <div className="ui-hint">{detail}</div> : null}
      </Td>
      <Td>{GRANULARITY_LABEL[d.granularity] ?? d.granularity}</Td>
      <Td>
        {conditionSummary(d)}
        {d.for > 0 ? <div className="ui-hint">after {d.for + 1} breaching windows</div> : null}
      </Td>
      <Td>
        {d.channels.length === 0 ? (
          <span className="ui-hint">none</span>
        ) : (
          <span className="ui-chips">
            {d.channels.map((id) => (
              <span className="ui-chip" key={id}>
                {channels.get(id)?.name ?? id}
              </span>
            ))}
          </span>
        )}
      </Td>
      <Td>{rule.enabled ? <Badge tone="ok">enabled</Badge> : <Badge>disabled</Badge>}</Td>
      {canChange ? (
        <Td className="ui-actions">
          <span className="ui-row" style={{ justifyContent: 'flex-end' }}>
            <Button size="sm" onClick={onEdit}>
              Edit
            </Button>
            <Button
              size="sm"
              variant="danger"
              busy={remove.isPending}
              onClick={() => {
                if (window.confirm(`Delete the rule “${rule.name}”? Its alerts are deleted with it.`)) remove.mutate({ ruleId: rule.id });
              }}
            >
              Delete
            </Button>
          </span>
        </Td>
      ) : null}
    </tr>
  );
}

function TeamRules({ team, rules, channels, onEdit }: { team: AlertingTeam; rules: Rule[]; channels: Map<string, Channel>; onEdit: (r: Rule) => void }) {
  return (
    <TeamCard
      team={team}
      id={`rules-${team.id}`}
      count={rules.length}
      noun={['rule', 'rules']}
      empty={{
        title: 'No rules yet',
        canChange: 'Create a rule to be told when a metric of this team’s models crosses a threshold.',
        readOnly: 'A maintainer of this team can create rules.',
      }}
      footer={<NotificationPolicySection team={team} />}
    >
      <Table caption={`Alert rules of ${team.name}`}>
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Metric</Th>
            <Th>Granularity</Th>
            <Th>Condition</Th>
            <Th>Channels</Th>
            <Th>Status</Th>
            {team.canChange ? <Th className="ui-actions">Actions</Th> : null}
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <RuleRow key={r.id} rule={r} channels={channels} canChange={team.canChange} onEdit={() => onEdit(r)} />
          ))}
        </tbody>
      </Table>
    </TeamCard>
  );
}

export function RulesPage() {
  const trpc = useTRPC();
  const teams = useAlertingTeams();
  const { data: rules } = useSuspenseQuery(trpc.alertRule.list.queryOptions({}));
  const { data: channels } = useSuspenseQuery(trpc.channel.list.queryOptions());
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const changeable = teams.filter((t) => t.canChange);
  const channelById = new Map(channels.map((c) => [c.id, c]));
  const createButton =
    changeable.length > 0 ? (
      <Button variant="primary" onClick={() => setEditing('new')}>
        New rule
      </Button>
    ) : null;
  return (
    <>
      <PageHeader
        title="Rules"
        description={
          <>
            Each team’s alert rules and how its notifications are grouped. Firing alerts are on the <Link href="/alerts">Alerts</Link> page.
          </>
        }
        actions={createButton}
      />
      {teams.length > 0 && changeable.length === 0 ? <Notice tone="info">You can read these rules; the teams’ maintainers and workspace admins change them.</Notice> : null}
      <div style={{ height: 12 }} />
      <div className="ui-stack">
        {teams.length === 0 ? (
          <EmptyState title="You are in no team yet">Rules belong to teams. Ask a workspace admin to add you to a team.</EmptyState>
        ) : (
          teams.map((t) => <TeamRules key={t.id} team={t} rules={rules.filter((r) => r.teamId === t.id)} channels={channelById} onEdit={setEditing} />)
        )}
      </div>
      {editing ? (
        <RuleEditor
          {...(editing === 'new' ? {} : { rule: editing })}
          teams={editing === 'new' ? changeable : teams.filter((t) => t.id === editing.teamId)}
          channels={channels}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </>
  );
}
