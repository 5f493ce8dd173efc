'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { METRIC_CATEGORY, METRIC_NAMES, type AlertGranularity, type AlertSeverity, type ComparisonOp, type MetricName, type NoDataPolicy } from '@vigil/contracts';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Button, Dialog, Field, Notice, SelectField, TextField } from '~/components/ui';
import { errorMessage } from '~/lib/errors';
import { useTRPC, type RouterOutputs } from '~/trpc/react';
import { BacktestResult, type Backtest } from './backtest-result';
import {
  emptyRuleForm,
  fromDefinition,
  isModelLevel,
  isPerformance,
  ruleFieldErrors,
  toDefinition,
  type BaselineKind,
  type RuleField,
  type RuleForm,
  type ThresholdKind,
} from './rule-form';
import type { AlertingTeam } from './use-alerting-teams';

type Rule = RouterOutputs['alertRule']['list'][number];
type Channel = RouterOutputs['channel']['list'][number];
type FieldErrors = Partial<Record<RuleField, string>>;

const CATEGORIES = ['volume', 'quality', 'drift', 'performance'] as const;
const GRANULARITIES: { value: AlertGranularity; label: string }[] = [
  { value: 'hour', label: 'hourly windows' },
  { value: 'day', label: 'daily windows' },
  { value: 'rolling_1h', label: 'rolling hour (every minute)' },
];
const THRESHOLD_KINDS: { value: ThresholdKind; label: string }[] = [
  { value: 'fixed', label: 'fixed value' },
  { value: 'band', label: 'outside a band' },
  { value: 'stddev', label: 'k·σ from the trailing mean' },
  { value: 'percent_change', label: '% change vs a baseline' },
  { value: 'drift_verdict', label: 'the drift test’s own verdict' },
  { value: 'reference_band', label: 'the reference band (estimated metrics)' },
];
const REFERENCE_BAND_OPS: { value: ComparisonOp; label: string }[] = [
  { value: '<', label: '< below its lower bound' },
  { value: '>', label: '> above its upper bound' },
  { value: 'outside_band', label: 'outside it, either way' },
];
const SEVERITIES: { value: AlertSeverity; label: string }[] = [
  { value: 'critical', label: 'critical' },
  { value: 'warning', label: 'warning' },
];
const OPS: { value: ComparisonOp; label: string }[] = [
  { value: '>', label: '> above' },
  { value: '>=', label: '≥ at or above' },
  { value: '<', label: '< below' },
  { value: '<=', label: '≤ at or below' },
];
const NO_DATA: { value: NoDataPolicy; label: string }[] = [
  { value: 'nodata', label: 'show “no data”' },
  { value: 'alerting', label: 'fire (critical)' },
  { value: 'ok', label: 'treat as clean' },
  { value: 'keep', label: 'keep the last state' },
];
const BASELINES: { value: BaselineKind; label: string }[] = [
  { value: 'previous', label: 'the previous window' },
  { value: 'trailing_mean', label: 'the mean of trailing windows' },
  { value: 'points_ago', label: 'the window N windows ago' },
];

/** Field errors of a failed call: `fieldErrors` of the response (input parsing or the data layer's validation). */
function fieldErrorsOf(error: unknown): { path: string; message: string }[] {
  return (error as { data?: { fieldErrors?: { path: string; message: string }[] | null } } | null)?.data?.fieldErrors ?? [];
}

function Section({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="ui-fieldset">
      <legend>{legend}</legend>
      {children}
    </fieldset>
  );
}

function MetricSelect({ value, onChange, error }: { value: MetricName; onChange: (m: MetricName) => void; error?: string | undefined }) {
  return (
    <Field label="Metric" error={error ?? null}>
      {({ id, describedBy, invalid }) => (
        <select id={id} className="ui-input ui-select" aria-describedby={describedBy} aria-invalid={invalid || undefined} value={value} onChange={(e) => onChange(e.target.value as MetricName)}>
          {CATEGORIES.map((c) => (
            <optgroup key={c} label={c}>
              {METRIC_NAMES.filter((m) => METRIC_CATEGORY[m] === c).map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      )}
    </Field>
  );
}

export interface RuleEditorProps {
  /** The rule to edit; absent: a new rule. */
  rule?: Rule;
  teams: AlertingTeam[];
  channels: Channel[];
  onClose: () => void;
}

/** Create or edit a rule, with a backtest preview of the draft over the last 30 days. */
export function RuleEditor({ rule, teams, channels, onClose }: RuleEditorProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<RuleForm>(() => (rule ? fromDefinition(rule.definition, rule.teamId) : emptyRuleForm(teams[0]?.id ?? '')));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [backtest, setBacktest] = useState<{ result?: Backtest; error?: string; busy: boolean }>({ busy: false });
  const set = (patch: Partial<RuleForm>) => setForm((f) => ({ ...f, ...patch }));
  const teamChannels = channels.filter((c) => c.teamId === form.teamId);

  const onSaved = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.alertRule.pathKey() });
    onClose();
  };
  const onFailed = (error: unknown) => {
    const fields = fieldErrorsOf(error);
    setErrors(fields.length ? ruleFieldErrors(fields) : { form: errorMessage(error) });
  };
  const create = useMutation(trpc.alertRule.create.mutationOptions({ onSuccess: onSaved, onError: onFailed }));
  const update = useMutation(trpc.alertRule.update.mutationOptions({ onSuccess: onSaved, onError: onFailed }));

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setErrors({});
    const definition = toDefinition(form);
    if (rule) update.mutate({ ruleId: rule.id, definition });
    else create.mutate({ teamId: form.teamId, definition });
  }

  async function runBacktest() {
    setErrors({});
    setBacktest({ busy: true });
    try {
      const result = await queryClient.fetchQuery({ ...trpc.alertRule.backtest.queryOptions({ teamId: form.teamId, definition: { ...toDefinition(form), name: form.name.trim() || 'Draft' } }), staleTime: 0 });
      setBacktest({ result, busy: false });
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (fields.length) setErrors(ruleFieldErrors(fields));
      setBacktest({ error: fields.length ? 'Fix the fields marked below to run the backtest.' : errorMessage(error), busy: false });
    }
  }

  const kind = form.thresholdKind;
  const numberField = (label: string, key: keyof RuleForm, error: RuleField | null, extra: { hint?: string; step?: string; min?: number } = {}) => (
    <TextField
      label={label}
      type="number"
      step={extra.step ?? 'any'}
      {...(extra.min !== undefined ? { min: extra.min } : {})}
      value={form[key] as string}
      onChange={(e) => set({ [key]: e.target.value } as Partial<RuleForm>)}
      error={error ? (errors[error] ?? null) : null}
      {...(extra.hint ? { hint: extra.hint } : {})}
    />
  );

  return (
    <Dialog open onClose={onClose} title={rule ? `Edit “${rule.name}”` : 'New alert rule'} size="wide">
      <form className="ui-form" onSubmit={onSubmit} aria-label="Alert rule">
        {errors.form ? <Notice tone="error">{errors.form}</Notice> : null}
        <Section legend="What to watch">
          <div className="ui-grid">
            <TextField label="Name" required maxLength={200} value={form.name} onChange={(e) => set({ name: e.target.value })} error={errors.name ?? null} placeholder="e.g. Amount drifts" />
            <SelectField
              label="Team"
              value={form.teamId}
              disabled={Boolean(rule)}
              onChange={(e) => set({ teamId: e.target.value, channels: [] })}
              options={teams.map((t) => ({ value: t.id, label: t.name }))}
              error={errors.teamId ?? null}
              hint={rule ? 'A rule stays with its team.' : 'Its maintainers own the rule; it covers the team’s projects.'}
            />
          </div>
          <div className="ui-grid">
            <MetricSelect value={form.metric} onChange={(metric) => set({ metric })} error={errors.metric} />
            <SelectField label="Granularity" value={form.granularity} onChange={(e) => set({ granularity: e.target.value as AlertGranularity })} options={GRANULARITIES} error={errors.granularity ?? null} />
          </div>
          <div className="ui-grid">
            <SelectField
              label="Columns"
              value={isModelLevel(form.metric) ? 'any' : form.columnKind}
              disabled={isModelLevel(form.metric)}
              onChange={(e) => set({ columnKind: e.target.value as RuleForm['columnKind'] })}
              options={[
                { value: 'any', label: 'any column' },
                { value: 'one', label: 'one column' },
                { value: 'list', label: 'a list of columns' },
              ]}
              error={errors.column ?? null}
              hint={isModelLevel(form.metric) ? `${form.metric} is measured for the whole model.` : 'One alert per column that breaches.'}
            />
            {!isModelLevel(form.metric) && form.columnKind !== 'any' ? (
              <TextField
                label={form.columnKind === 'one' ? 'Column name' : 'Column names'}
                value={form.columns}
                onChange={(e) => set({ columns: e.target.value })}
                placeholder={form.columnKind === 'one' ? 'amount' : 'amount, country'}
                {...(form.columnKind === 'list' ? { hint: 'Separated by commas.' } : {})}
              />
            ) : null}
          </div>
          <div className="ui-grid">
            <TextField
              label="Segment tag (optional)"
              value={form.segmentTag}
              onChange={(e) => set({ segmentTag: e.target.value })}
              placeholder="country"
              error={errors.segment ?? null}
              hint="Empty: the whole population only. A tag: one alert per segment of it."
            />
            {form.segmentTag.trim() ? (
              <TextField label="Segment values (optional)" value={form.segmentValues} onChange={(e) => set({ segmentValues: e.target.value })} placeholder="DE, FR" hint="Empty: every value of the tag." />
            ) : null}
          </div>
        </Section>

        <Section legend="Condition">
          <div className="ui-grid">
            <SelectField label="Threshold" value={kind} onChange={(e) => set({ thresholdKind: e.target.value as ThresholdKind })} options={THRESHOLD_KINDS} error={errors.threshold ?? null} />
            {kind === 'fixed' || kind === 'stddev' || kind === 'percent_change' ? (
              <SelectField
                label="Operator"
                value={form.op}
                onChange={(e) => set({ op: e.target.value as ComparisonOp })}
                options={kind === 'fixed' ? OPS : [...OPS, { value: 'outside_band', label: 'either way' }]}
                error={errors.op ?? null}
              />
            ) : null}
            {kind === 'reference_band' ? (
              <>
                <SelectField label="Operator" value={form.op} onChange={(e) => set({ op: e.target.value as ComparisonOp })} options={REFERENCE_BAND_OPS} error={errors.op ?? null} />
                <SelectField label="Severity" value={form.severity} onChange={(e) => set({ severity: e.target.value as AlertSeverity })} options={SEVERITIES} />
              </>
            ) : null}
          </div>
          {kind === 'reference_band' ? (
            <p className="ui-hint">
              Fires when an estimated metric (estimated_f1, estimated_accuracy, …) leaves the band the realized metric kept on the reference’s chunks — “estimated F1 below its lower band”.
            </p>
          ) : null}
          {kind === 'fixed' ? (
            <div className="ui-grid">
              {numberField('Warning value', 'warning', 'warning')}
              {numberField('Critical value', 'critical', 'critical')}
            </div>
          ) : null}
          {kind === 'band' ? (
            <>
              <div className="ui-grid">
                {numberField('Warning band low', 'warningLow', 'warning')}
                {numberField('Warning band high', 'warningHigh', null)}
              </div>
              <div className="ui-grid">
                {numberField('Critical band low', 'criticalLow', 'critical')}
                {numberField('Critical band high', 'criticalHigh', null)}
              </div>
              <p className="ui-hint">A value outside the band breaches; the edges are fine. The critical band must contain the warning band.</p>
            </>
          ) : null}
          {kind === 'stddev' ? (
            <div className="ui-grid">
              {numberField('Warning k (σ)', 'warning', 'warning', { min: 0 })}
              {numberField('Critical k (σ)', 'critical', 'critical', { min: 0 })}
              {numberField('Trailing windows', 'window', 'window', { step: '1', min: 2 })}
              {numberField('Minimum windows', 'minPoints', null, { step: '1', min: 2, hint: 'Fewer trailing windows: not judged.' })}
            </div>
          ) : null}
          {kind === 'percent_change' ? (
            <>
              <div className="ui-grid">
                <SelectField label="Baseline" value={form.baseline} onChange={(e) => set({ baseline: e.target.value as BaselineKind })} options={BASELINES} error={errors.baseline ?? null} />
                {form.baseline === 'points_ago' ? numberField('Windows ago', 'pointsAgo', null, { step: '1', min: 1 }) : null}
                {form.baseline === 'trailing_mean' ? numberField('Trailing windows', 'window', 'window', { step: '1', min: 1 }) : null}
              </div>
              <div className="ui-grid">
                {numberField('Warning change (%)', 'warning', 'warning', { min: 0 })}
                {numberField('Critical change (%)', 'critical', 'critical', { min: 0 })}
              </div>
            </>
          ) : null}
          {kind === 'drift_verdict' ? (
            <p className="ui-hint">
              Fires (critical) when the drift test of a window says “drifted”. Use it with drift_detected, dataset_drift or drift_score.
            </p>
          ) : null}
          {errors.op && kind !== 'fixed' && kind !== 'stddev' && kind !== 'percent_change' && kind !== 'reference_band' ? <p className="ui-field-error">{errors.op}</p> : null}
        </Section>

        <Section legend="Timing">
          <div className="ui-grid">
            {numberField('For (breaching windows)', 'for', 'for', { step: '1', min: 0, hint: 'Pending this many breaches first; 0 fires at once.' })}
            {numberField('Keep firing for (minutes)', 'keepFiringForMinutes', 'keepFiringFor', { min: 0, hint: 'Clean window time before it resolves.' })}
            <SelectField label="When data stops" value={form.noData} onChange={(e) => set({ noData: e.target.value as NoDataPolicy })} options={NO_DATA} error={errors.noData ?? null} />
            {isPerformance(form.metric)
              ? numberField('Minimum label coverage', 'minLabelCoverage', 'minLabelCoverage', { min: 0, hint: '0–1. Windows with fewer labels are skipped.' })
              : null}
          </div>
        </Section>

        <Section legend="Notifications">
          <fieldset className="ui-checks" aria-describedby={errors.channels ? 'rule-channels-error' : undefined}>
            <legend>Channels</legend>
            {teamChannels.length === 0 ? <span className="ui-hint">This team has no channels yet: add one on the Channels page.</span> : null}
            {teamChannels.map((c) => (
              <label key={c.id} className="ui-check">
                <input
                  type="checkbox"
                  checked={form.channels.includes(c.id)}
                  onChange={(e) => set({ channels: e.target.checked ? [...form.channels, c.id] : form.channels.filter((x) => x !== c.id) })}
                />{' '}
                {c.name} <span className="ui-hint">({c.type})</span>
              </label>
            ))}
          </fieldset>
          {errors.channels ? (
            <p className="ui-field-error" id="rule-channels-error">
              {errors.channels}
            </p>
          ) : null}
          <div className="ui-grid">
            {numberField('Repeat every (minutes)', 'repeatIntervalMinutes', 'repeatInterval', { min: 1, hint: 'Empty: the team’s policy (4 h unless changed).' })}
          </div>
          <div className="ui-checks">
            <label className="ui-check">
              <input type="checkbox" checked={form.notifyOnResolve} onChange={(e) => set({ notifyOnResolve: e.target.checked })} /> Notify when resolved
            </label>
            <label className="ui-check">
              <input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Enabled
            </label>
          </div>
        </Section>

        {backtest.error ? <Notice tone="error">{backtest.error}</Notice> : null}
        {backtest.result ? <BacktestResult result={backtest.result} /> : null}
        <div className="ui-form-actions" style={{ justifyContent: 'space-between' }}>
          <Button busy={backtest.busy} onClick={runBacktest}>
            Preview backtest
          </Button>
          <span className="ui-row">
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary" busy={create.isPending || update.isPending}>
              {rule ? 'Save rule' : 'Create rule'}
            </Button>
          </span>
        </div>
      </form>
    </Dialog>
  );
}
