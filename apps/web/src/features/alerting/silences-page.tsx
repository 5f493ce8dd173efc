'use client';

import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { AlertLabelName, type SilenceMatcher } from '@vigil/contracts';
import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, Dialog, EmptyState, FormActions, Notice, PageHeader, SelectField, Table, Td, TextField, Th } from '~/components/ui';
import { errorMessage } from '~/lib/errors';
import { useTRPC, type RouterOutputs } from '~/trpc/react';
import { MODEL_CHOICES_INPUT } from './alert-filter';
import { duration, when } from './format';
import { useAlertingTeams, type AlertingTeam } from './use-alerting-teams';

type Silence = RouterOutputs['silence']['list'][number];
type Rule = RouterOutputs['alertRule']['list'][number];

const LABELS = Object.values(AlertLabelName).map((l) => ({ value: l, label: l }));
const OPS = [
  { value: '=', label: '=' },
  { value: '!=', label: '≠' },
  { value: '=~', label: '=~ (regex)' },
  { value: '!~', label: '!~ (regex)' },
];
const DURATIONS = [
  { value: '30', label: '30 minutes' },
  { value: '60', label: '1 hour' },
  { value: '120', label: '2 hours' },
  { value: '240', label: '4 hours' },
  { value: '480', label: '8 hours' },
  { value: '1440', label: '1 day' },
  { value: '4320', label: '3 days' },
  { value: '10080', label: '1 week' },
];

/** Names for the ids in `rule` and `model` matchers. */
interface Names {
  rules: Map<string, string>;
  models: Map<string, string>;
}

function MatcherChips({ matchers, names }: { matchers: readonly SilenceMatcher[]; names: Names }) {
  return (
    <span className="ui-chips">
      {matchers.map((m, i) => {
        const known = m.op === '=' || m.op === '!=' ? (m.name === 'rule' ? names.rules : m.name === 'model' ? names.models : null)?.get(m.value) : undefined;
        return (
          <span key={i} className="ui-chip" title={known ? m.value : undefined}>
            {m.name} {m.op} {known ? `“${known}”` : JSON.stringify(m.value)}
          </span>
        );
      })}
    </span>
  );
}

function CreateSilenceDialog({ open, onClose, teams, rules }: { open: boolean; onClose: () => void; teams: AlertingTeam[]; rules: Rule[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [teamId, setTeamId] = useState(teams[0]?.id ?? '');
  const [matchers, setMatchers] = useState<SilenceMatcher[]>([{ name: 'rule', op: '=', value: '' }]);
  const create = useMutation(
    trpc.silence.create.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.silence.pathKey() });
        close();
      },
    }),
  );
  const teamRules = rules.filter((r) => r.teamId === teamId);
  function close() {
    setMatchers([{ name: 'rule', op: '=', value: '' }]);
    create.reset();
    onClose();
  }
  const setMatcher = (i: number, patch: Partial<SilenceMatcher>) => setMatchers((ms) => ms.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    create.mutate({ teamId, matchers, comment: String(f.get('comment') ?? ''), durationMinutes: Number(f.get('duration')) });
  }
  const fieldErrors = (create.error?.data as { fieldErrors?: { path: string; message: string }[] | null } | undefined)?.fieldErrors ?? [];
  const errorAt = (prefix: string) => fieldErrors.filter((x) => x.path === prefix || x.path.startsWith(`${prefix}.`)).map((x) => x.message).join('; ') || null;
  const placed = (p: string) => /^matchers(\.\d+)?/.test(p) || p === 'comment';
  const unplaced = fieldErrors.filter((x) => !placed(x.path));
  return (
    <Dialog open={open} onClose={close} title="New silence" description="While a silence is active, the team’s alerts whose labels match every matcher send no notification (not even their resolve). They still show on the Alerts page." size="wide">
      <form className="ui-form" onSubmit={onSubmit}>
        {create.error && (fieldErrors.length === 0 || unplaced.length > 0) ? (
          <Notice tone="error">{unplaced.length ? unplaced.map((x) => `${x.path}: ${x.message}`).join('; ') : errorMessage(create.error)}</Notice>
        ) : null}
        <SelectField label="Team" name="teamId" value={teamId} onChange={(e) => setTeamId(e.target.value)} options={teams.map((t) => ({ value: t.id, label: t.name }))} />
        <fieldset className="ui-fieldset">
          <legend>Matchers (all must match)</legend>
          {matchers.map((m, i) => {
            const ruleChoice = m.name === 'rule' && (m.op === '=' || m.op === '!=');
            return (
              <div key={i} className="ui-stack" style={{ gap: 4 }}>
                <div className="ui-matcher-row" data-testid={`matcher-${i}`}>
                  <SelectField label={`Label ${i + 1}`} value={m.name} onChange={(e) => setMatcher(i, { name: e.target.value, value: '' })} options={LABELS} />
                  <SelectField label={`Operator ${i + 1}`} value={m.op} onChange={(e) => setMatcher(i, { op: e.target.value as SilenceMatcher['op'] })} options={OPS} />
                  {ruleChoice ? (
                    <SelectField
                      label={`Value ${i + 1}`}
                      value={m.value}
                      onChange={(e) => setMatcher(i, { value: e.target.value })}
                      options={[{ value: '', label: 'Choose a rule…' }, ...teamRules.map((r) => ({ value: r.id, label: r.name }))]}
                    />
                  ) : m.name === 'severity' && (m.op === '=' || m.op === '!=') ? (
                    <SelectField
                      label={`Value ${i + 1}`}
                      value={m.value}
                      onChange={(e) => setMatcher(i, { value: e.target.value })}
                      options={[
                        { value: '', label: 'Choose…' },
                        { value: 'warning', label: 'warning' },
                        { value: 'critical', label: 'critical' },
                      ]}
                    />
                  ) : (
                    <TextField
                      label={`Value ${i + 1}`}
                      value={m.value}
                      onChange={(e) => setMatcher(i, { value: e.target.value })}
                      placeholder={m.name === 'model' ? 'model id' : m.name === 'segment' ? 'country=DE' : ''}
                    />
                  )}
                  <Button size="sm" variant="ghost" aria-label={`Remove matcher ${i + 1}`} disabled={matchers.length === 1} onClick={() => setMatchers((ms) => ms.filter((_, j) => j !== i))}>
                    Remove
                  </Button>
                </div>
                {errorAt(`matchers.${i}`) ? <p className="ui-field-error">{errorAt(`matchers.${i}`)}</p> : null}
              </div>
            );
          })}
          {fieldErrors.some((x) => x.path === 'matchers') ? <p className="ui-field-error">{errorAt('matchers')}</p> : null}
          <div>
            <Button size="sm" disabled={matchers.length >= 20} onClick={() => setMatchers((ms) => [...ms, { name: 'model', op: '=', value: '' }])}>
              Add matcher
            </Button>
          </div>
        </fieldset>
        <div className="ui-grid">
          <SelectField label="Duration" name="duration" defaultValue="120" options={DURATIONS} />
          <TextField label="Comment" name="comment" maxLength={1000} placeholder="e.g. planned retraining" error={errorAt('comment')} />
        </div>
        <FormActions onCancel={close} busy={create.isPending} submitLabel="Create silence" />
      </form>
    </Dialog>
  );
}

function SilenceTable({ caption, silences, teams, names, expired }: { caption: string; silences: Silence[]; teams: AlertingTeam[]; names: Names; expired: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const expire = useMutation(trpc.silence.expire.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.silence.pathKey() }) }));
  const team = new Map(teams.map((t) => [t.id, t]));
  const anyChange = !expired && silences.some((s) => team.get(s.teamId)?.canChange);
  return (
    <>
      {expire.error ? <Notice tone="error">{errorMessage(expire.error)}</Notice> : null}
      <Table caption={caption}>
        <thead>
          <tr>
            <Th>Team</Th>
            <Th>Matchers</Th>
            <Th>Comment</Th>
            <Th>{expired ? 'Ran' : 'Starts'}</Th>
            <Th>{expired ? 'Ended' : 'Ends'}</Th>
            {anyChange ? <Th className="ui-actions">Actions</Th> : null}
          </tr>
        </thead>
        <tbody>
          {silences.map((s) => (
            <tr key={s.id} data-silence={s.id}>
              <Td>{team.get(s.teamId)?.name ?? '—'}</Td>
              <Td>
                <MatcherChips matchers={s.matchers} names={names} />
              </Td>
              <Td>{s.comment || <span className="ui-hint">—</span>}</Td>
              <Td>
                {when(s.startsAt)}
                {!expired && Date.parse(s.startsAt) > Date.now() ? (
                  <div>
                    <Badge tone="accent">upcoming</Badge>
                  </div>
                ) : null}
              </Td>
              <Td>
                {when(s.endsAt)}
                {expired ? <div className="ui-hint">after {duration(Date.parse(s.endsAt) - Date.parse(s.startsAt))}</div> : null}
              </Td>
              {anyChange ? (
                <Td className="ui-actions">
                  {team.get(s.teamId)?.canChange ? (
                    <Button size="sm" variant="danger" busy={expire.isPending && expire.variables?.silenceId === s.id} onClick={() => expire.mutate({ silenceId: s.id })}>
                      Expire
                    </Button>
                  ) : null}
                </Td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

export function SilencesPage() {
  const trpc = useTRPC();
  const teams = useAlertingTeams();
  const { data: silences } = useSuspenseQuery(trpc.silence.list.queryOptions({ includeExpired: true }));
  const { data: rules } = useSuspenseQuery(trpc.alertRule.list.queryOptions({}));
  const [open, setOpen] = useState(false);
  const { data: alerts } = useSuspenseQuery(trpc.alert.list.queryOptions(MODEL_CHOICES_INPUT));
  const names: Names = {
    rules: new Map(rules.map((r) => [r.id, r.name])),
    models: new Map(alerts.flatMap((a) => (a.model ? [[a.model.id, a.model.name] as const] : []))),
  };
  const changeable = teams.filter((t) => t.canChange);
  const now = Date.now();
  const current = silences.filter((s) => Date.parse(s.endsAt) > now);
  const expired = silences.filter((s) => Date.parse(s.endsAt) <= now);
  const createButton =
    changeable.length > 0 ? (
      <Button variant="primary" onClick={() => setOpen(true)}>
        New silence
      </Button>
    ) : null;
  return (
    <>
      <PageHeader title="Silences" description="Mute notifications of matching alerts for a while: during maintenance, a retraining, or while someone works on it." actions={createButton} />
      <div className="ui-stack">
        <Card title="Active and upcoming" id="silences-active" actions={<Badge>{current.length}</Badge>}>
          {current.length === 0 ? (
            <EmptyState title="No active silence" action={createButton}>
              Every alert of your teams notifies its channels. Silence an alert from the Alerts page, or create a silence here.
            </EmptyState>
          ) : (
            <SilenceTable caption="Active silences" silences={current} teams={teams} names={names} expired={false} />
          )}
        </Card>
        <Card title="Expired" id="silences-expired" actions={<Badge>{expired.length}</Badge>}>
          {expired.length === 0 ? (
            <p className="ui-muted">No silence has ended yet.</p>
          ) : (
            <SilenceTable caption="Expired silences" silences={expired} teams={teams} names={names} expired />
          )}
        </Card>
      </div>
      {open ? <CreateSilenceDialog open onClose={() => setOpen(false)} teams={changeable} rules={rules} /> : null}
    </>
  );
}
