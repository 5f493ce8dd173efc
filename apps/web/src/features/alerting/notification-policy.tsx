'use client';

import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { AlertLabelName, type AlertLabelName as Label } from '@vigil/contracts';
import { useState, type FormEvent } from 'react';
import { Button, Notice, TextField } from '~/components/ui';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/trpc/react';
import { duration } from './format';
import type { AlertingTeam } from './use-alerting-teams';

const LABELS = Object.values(AlertLabelName);

/** How the team's notifications are grouped and repeated; maintainers and admins edit it. */
export function NotificationPolicySection({ team }: { team: AlertingTeam }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: policy } = useSuspenseQuery(trpc.notificationPolicy.get.queryOptions({ teamId: team.id }));
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.notificationPolicy.set.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.notificationPolicy.get.queryKey({ teamId: team.id }) });
        setSaved(true);
      },
    }),
  );
  const summary = `Grouped by ${policy.groupBy.length ? policy.groupBy.join(', ') : 'nothing (all of the team’s alerts in one notification)'} · first notification after ${duration(policy.groupWaitSeconds * 1000)} · changes at most every ${duration(policy.groupIntervalSeconds * 1000)} · repeats every ${duration(policy.repeatIntervalSeconds * 1000)}`;

  if (!team.canChange) {
    return (
      <div className="ui-stack ui-policy" style={{ gap: 4 }} data-testid={`policy-${team.id}`}>
        <strong>Notification policy</strong>
        <p className="ui-hint">{summary}</p>
      </div>
    );
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    const f = new FormData(e.currentTarget);
    save.mutate({
      teamId: team.id,
      policy: {
        groupBy: f.getAll('groupBy').map(String) as Label[],
        groupWaitSeconds: Number(f.get('groupWaitSeconds')),
        groupIntervalSeconds: Number(f.get('groupIntervalSeconds')),
        repeatIntervalSeconds: Math.round(Number(f.get('repeatIntervalMinutes')) * 60),
      },
    });
  }
  const fieldErrors = (save.error?.data as { fieldErrors?: { path: string; message: string }[] | null } | undefined)?.fieldErrors ?? [];
  const errorOf = (key: string) => fieldErrors.filter((x) => x.path === `policy.${key}`).map((x) => x.message).join('; ') || null;
  return (
    <form className="ui-form ui-policy" onSubmit={onSubmit} aria-label={`Notification policy of ${team.name}`} data-testid={`policy-${team.id}`}>
      <strong>Notification policy</strong>
      <p className="ui-hint">{summary}</p>
      {save.error && fieldErrors.length === 0 ? <Notice tone="error">{errorMessage(save.error)}</Notice> : null}
      {saved ? <Notice tone="success">Saved.</Notice> : null}
      <fieldset className="ui-checks">
        <legend>Group notifications by</legend>
        {LABELS.map((l) => (
          <label key={l} className="ui-check">
            <input type="checkbox" name="groupBy" value={l} defaultChecked={policy.groupBy.includes(l)} /> {l}
          </label>
        ))}
      </fieldset>
      <div className="ui-grid">
        <TextField label="Group wait (seconds)" name="groupWaitSeconds" type="number" min={0} max={3600} step={1} defaultValue={policy.groupWaitSeconds} error={errorOf('groupWaitSeconds')} hint="Collects alerts that fire together." />
        <TextField label="Group interval (seconds)" name="groupIntervalSeconds" type="number" min={1} max={86400} step={1} defaultValue={policy.groupIntervalSeconds} error={errorOf('groupIntervalSeconds')} hint="At most one update per group this often." />
        <TextField label="Repeat interval (minutes)" name="repeatIntervalMinutes" type="number" min={1} step="any" defaultValue={policy.repeatIntervalSeconds / 60} error={errorOf('repeatIntervalSeconds')} hint="Re-sends unacknowledged firing alerts." />
      </div>
      <div className="ui-form-actions">
        <Button type="submit" busy={save.isPending}>
          Save policy
        </Button>
      </div>
    </form>
  );
}
