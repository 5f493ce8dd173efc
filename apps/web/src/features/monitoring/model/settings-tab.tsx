'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { DRIFT_TEST_NAMES, type DriftSettings, type DriftTestNameContract } from '@vigil/contracts';
import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, Notice, SelectField, Table, Td, TextField, Th } from '~/components/ui';
import { useCanMaintain } from '~/features/workspace/use-workspace';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/trpc/react';
import { count, testLabel, when } from '../format';
import { useModel } from './use-model';

type Choice = { test?: DriftTestNameContract | undefined; threshold?: number | undefined };
const KINDS = ['numerical', 'categorical', 'boolean'] as const;
const TEST_OPTIONS = [{ value: '', label: 'automatic' }, ...DRIFT_TEST_NAMES.map((t) => ({ value: t, label: `${testLabel(t)} (${t})` }))];

/** A drift choice without empty fields (the settings schema refuses unknown or empty values). */
function clean(c: Choice | undefined): Choice | undefined {
  if (!c) return undefined;
  const out: Choice = {};
  if (c.test) out.test = c.test;
  if (c.threshold !== undefined && Number.isFinite(c.threshold) && c.threshold > 0) out.threshold = c.threshold;
  return Object.keys(out).length > 0 ? out : undefined;
}

function ChoiceInputs({ value, onChange, disabled, label }: { value: Choice | undefined; onChange: (c: Choice) => void; disabled: boolean; label: string }) {
  return (
    <>
      <Td>
        <select className="ui-input ui-select" aria-label={`${label} test`} disabled={disabled} value={value?.test ?? ''} onChange={(e) => onChange({ ...value, test: (e.target.value || undefined) as DriftTestNameContract | undefined })}>
          {TEST_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </Td>
      <Td>
        <input
          className="ui-input"
          aria-label={`${label} threshold`}
          type="number"
          step="any"
          min={0}
          placeholder="test default"
          disabled={disabled}
          value={value?.threshold ?? ''}
          onChange={(e) => onChange({ ...value, threshold: e.target.value === '' ? undefined : Number(e.target.value) })}
        />
      </Td>
    </>
  );
}

/**
 * The model's schema (column kinds), segment tags, drift tests and thresholds, and its
 * reference. Maintainers of the model's team and workspace admins change them; everyone else
 * sees them read-only.
 */
export function SettingsTab({ modelId }: { modelId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { header } = useModel(modelId);
  const h = header.data;
  const canEdit = useCanMaintain(h?.model.team.id);
  const disabled = !canEdit;
  const drift = (h?.model.drift ?? {}) as DriftSettings;
  const [name, setName] = useState(h?.model.name ?? '');
  const [task, setTask] = useState(h?.model.task ?? '');
  const [tags, setTags] = useState((h?.model.segmentTags ?? []).join(', '));
  const [defaults, setDefaults] = useState<Choice | undefined>({ test: drift.test, threshold: drift.threshold });
  const [perKind, setPerKind] = useState<Record<string, Choice | undefined>>({ ...(drift.perKind ?? {}) });
  const [perColumn, setPerColumn] = useState<Record<string, Choice | undefined>>({ ...(drift.perColumn ?? {}) });
  const [driftShare, setDriftShare] = useState(drift.driftShare?.toString() ?? '');
  const [fdr, setFdr] = useState(drift.falseDiscoveryRate === 'benjamini-hochberg');
  const [kinds, setKinds] = useState<Record<string, string>>({});
  const [addColumn, setAddColumn] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.model.header.queryKey({ modelId }) });
  const save = useMutation(trpc.model.updateSettings.mutationOptions({ onSuccess: async () => (await refresh(), setSaved('Saved. New windows use these settings.')) }));
  const features = (h?.columns ?? []).filter((c) => c.role === 'feature');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    const columnKinds = Object.entries(kinds).flatMap(([key, kind]) => {
      const [role, ...rest] = key.split(':');
      const column = h?.columns.find((c) => c.role === role && c.name === rest.join(':'));
      return column && column.kind !== kind ? [{ role: column.role, name: column.name, kind: kind as 'numerical' | 'categorical' | 'boolean' }] : [];
    });
    const cleanedKinds = Object.fromEntries(KINDS.flatMap((k) => (clean(perKind[k]) ? [[k, clean(perKind[k])!]] : [])));
    const cleanedColumns = Object.fromEntries(Object.entries(perColumn).flatMap(([c, v]) => (clean(v) ? [[c, clean(v)!]] : [])));
    const share = driftShare.trim() === '' ? undefined : Number(driftShare);
    save.mutate({
      modelId,
      settings: {
        name: name.trim(),
        task: task === '' ? null : (task as 'binary' | 'multiclass' | 'regression'),
        segmentTags: tags.split(',').map((t) => t.trim()).filter(Boolean),
        drift: {
          ...clean(defaults),
          ...(Object.keys(cleanedKinds).length ? { perKind: cleanedKinds } : {}),
          ...(Object.keys(cleanedColumns).length ? { perColumn: cleanedColumns } : {}),
          ...(share !== undefined ? { driftShare: share } : {}),
          ...(fdr ? { falseDiscoveryRate: 'benjamini-hochberg' as const } : {}),
        },
        ...(columnKinds.length ? { columnKinds } : {}),
      },
    });
  };

  if (!h) return null;
  return (
    <div className="ui-stack settings" data-readonly={disabled}>
      {disabled ? <Notice tone="info">You can read this model’s settings; maintainers of {h.model.team.name} and workspace admins change them.</Notice> : null}
      <form className="ui-stack" onSubmit={submit} aria-label="Model settings">
        <Card title="General">
          <div className="ui-grid">
            <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} disabled={disabled} required maxLength={200} />
            <SelectField
              label="Task"
              value={task}
              onChange={(e) => setTask(e.target.value)}
              disabled={disabled}
              options={[
                { value: '', label: 'infer from the labels' },
                { value: 'binary', label: 'binary classification' },
                { value: 'multiclass', label: 'multiclass classification' },
                { value: 'regression', label: 'regression' },
              ]}
            />
            <TextField label="Segment tags" hint="Tags whose values get metrics of their own, comma-separated (at most 5)." value={tags} onChange={(e) => setTags(e.target.value)} disabled={disabled} />
          </div>
        </Card>
        <Card title="Drift tests and thresholds">
          <p className="ui-hint">Automatic: Evidently’s size-aware choice (KS or chi-square up to 1,000 reference rows, normed Wasserstein or Jensen–Shannon beyond). A column’s own choice wins over its kind’s, which wins over the default.</p>
          <Table caption="Drift test per kind and column">
            <thead>
              <tr>
                <Th>Applies to</Th>
                <Th>Test</Th>
                <Th>Threshold</Th>
                <Th />
              </tr>
            </thead>
            <tbody>
              <tr>
                <Td>every column (default)</Td>
                <ChoiceInputs label="Default" value={defaults} onChange={setDefaults} disabled={disabled} />
                <Td />
              </tr>
              {KINDS.map((k) => (
                <tr key={k}>
                  <Td>{k} columns</Td>
                  <ChoiceInputs label={`${k} columns`} value={perKind[k]} onChange={(c) => setPerKind({ ...perKind, [k]: c })} disabled={disabled} />
                  <Td />
                </tr>
              ))}
              {Object.keys(perColumn).map((c) => (
                <tr key={c}>
                  <Td>
                    column <span className="ui-chip">{c}</span>
                  </Td>
                  <ChoiceInputs label={`column ${c}`} value={perColumn[c]} onChange={(v) => setPerColumn({ ...perColumn, [c]: v })} disabled={disabled} />
                  <Td>
                    {disabled ? null : (
                      <Button size="sm" variant="ghost" onClick={() => setPerColumn(Object.fromEntries(Object.entries(perColumn).filter(([k]) => k !== c)))}>
                        Remove
                      </Button>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
          {disabled ? null : (
            <div className="ui-row" style={{ marginTop: 10 }}>
              <select className="ui-input ui-select" aria-label="Column to override" value={addColumn} onChange={(e) => setAddColumn(e.target.value)} style={{ maxWidth: 240 }}>
                <option value="">a column…</option>
                {features.filter((c) => !(c.name in perColumn)).map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.name}
                  </option>
                ))}
              </select>
              <Button size="sm" disabled={!addColumn} onClick={() => (setPerColumn({ ...perColumn, [addColumn]: {} }), setAddColumn(''))}>
                Add a column override
              </Button>
            </div>
          )}
          <div className="ui-grid" style={{ marginTop: 14 }}>
            <TextField label="Dataset drift share" hint="Share of drifted features that makes the dataset drifted (default 0.5)." type="number" step="any" min={0} max={1} value={driftShare} onChange={(e) => setDriftShare(e.target.value)} disabled={disabled} />
            <label className="ui-check" style={{ alignSelf: 'center' }}>
              <input type="checkbox" checked={fdr} onChange={(e) => setFdr(e.target.checked)} disabled={disabled} /> Control the false discovery rate (Benjamini–Hochberg) across p-value tests
            </label>
          </div>
        </Card>
        <Card title="Schema">
          <p className="ui-hint">Each column’s kind was inferred from its first value; a new kind applies from the next event on (its reference profile is rebuilt with the next reference).</p>
          <Table caption="Columns and their kinds">
            <thead>
              <tr>
                <Th>Column</Th>
                <Th>Role</Th>
                <Th>Kind</Th>
                <Th>Type mismatches</Th>
              </tr>
            </thead>
            <tbody>
              {h.columns.map((c) => {
                const key = `${c.role}:${c.name}`;
                return (
                  <tr key={key} data-column={key}>
                    <Td>{c.name}</Td>
                    <Td>{c.role}</Td>
                    <Td>
                      <select className="ui-input ui-select" aria-label={`Kind of ${c.name}`} disabled={disabled} value={kinds[key] ?? c.kind} onChange={(e) => setKinds({ ...kinds, [key]: e.target.value })}>
                        {KINDS.map((k) => (
                          <option key={k} value={k}>
                            {k}
                          </option>
                        ))}
                      </select>
                    </Td>
                    <Td className="num">{count(c.typeMismatches)}</Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        </Card>
        {disabled ? null : (
          <div className="ui-row">
            <Button type="submit" variant="primary" busy={save.isPending}>
              Save settings
            </Button>
            {save.isError ? <Notice tone="error">{errorMessage(save.error)}</Notice> : null}
            {saved ? <Notice tone="success">{saved}</Notice> : null}
          </div>
        )}
      </form>
      <ReferenceCard modelId={modelId} disabled={disabled} onChange={refresh} />
    </div>
  );
}

/** The reference in use, and three ways to set a new one: a file, a past range, a trailing window. */
function ReferenceCard({ modelId, disabled, onChange }: { modelId: string; disabled: boolean; onChange: () => Promise<void> }) {
  const trpc = useTRPC();
  const { header } = useModel(modelId);
  const h = header.data!;
  const [file, setFile] = useState<File | null>(null);
  const [fileName, setFileName] = useState('');
  const [upload, setUpload] = useState<{ busy: boolean; error?: string; done?: string }>({ busy: false });
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [days, setDays] = useState('7');
  const create = useMutation(trpc.model.createReference.mutationOptions({ onSuccess: () => onChange() }));

  const send = async () => {
    if (!file) return;
    setUpload({ busy: true });
    const type = /\.(jsonl|ndjson)$/i.test(file.name) ? 'application/x-ndjson' : 'text/csv';
    const q = new URLSearchParams({ name: fileName.trim() || file.name });
    const res = await fetch(`/api/models/${modelId}/reference?${q.toString()}`, { method: 'POST', headers: { 'content-type': type }, body: file });
    const body = (await res.json().catch(() => ({}))) as { rows?: number; error?: { message?: string } };
    if (!res.ok) return setUpload({ busy: false, error: body.error?.message ?? `upload failed (${res.status})` });
    setUpload({ busy: false, done: `${count(body.rows)} rows stored; the worker builds the profile within a minute.` });
    await onChange();
  };

  return (
    <Card title="Reference" id="reference">
      {h.reference ? (
        <p>
          Drift is measured against <strong>{h.reference.name}</strong> ({h.reference.source}, {count(h.reference.rows)} rows, built {when(h.reference.readyAt ? new Date(h.reference.readyAt).toISOString() : null)}).
        </p>
      ) : (
        <p className="ui-muted">No reference yet: drift and out-of-range values are measured against one.</p>
      )}
      {h.newestReference ? (
        <p className="ui-hint">
          Newest dataset {h.newestReference.name}: <Badge tone={h.newestReference.status === 'failed' ? 'danger' : 'warn'}>{h.newestReference.status}</Badge> {h.newestReference.error ?? ''}
        </p>
      ) : null}
      {disabled ? null : (
        <div className="reference-ways">
          <fieldset className="ui-fieldset">
            <legend>Upload a file</legend>
            <p className="ui-hint">
              CSV with a header row, or JSON Lines: one column per feature, plus <code>prediction</code>, <code>label</code> and <code>score</code> (or <code>score:&lt;class&gt;</code>) if you have them.
            </p>
            <input type="file" accept=".csv,.jsonl,.ndjson,text/csv" aria-label="Reference file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            <TextField label="Name" value={fileName} onChange={(e) => setFileName(e.target.value)} placeholder={file?.name ?? 'training data'} />
            <Button onClick={() => void send()} busy={upload.busy} disabled={!file}>
              Upload
            </Button>
            {upload.error ? <Notice tone="error">{upload.error}</Notice> : null}
            {upload.done ? <Notice tone="success">{upload.done}</Notice> : null}
          </fieldset>
          <fieldset className="ui-fieldset">
            <legend>A past time range</legend>
            <p className="ui-hint">This model’s own predictions (and labels) of a period you trust.</p>
            <TextField label="From (UTC)" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
            <TextField label="To (UTC)" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
            <Button disabled={!from || !to || from >= to} busy={create.isPending} onClick={() => create.mutate({ modelId, reference: { source: 'range', from: `${from}:00.000Z`, to: `${to}:00.000Z` } })}>
              Use this range
            </Button>
          </fieldset>
          <fieldset className="ui-fieldset">
            <legend>A trailing window</legend>
            <p className="ui-hint">The last N days of this model’s predictions, rebuilt when you set it again.</p>
            <TextField label="Days" type="number" min={1} max={90} value={days} onChange={(e) => setDays(e.target.value)} />
            <Button disabled={!(Number(days) >= 1 && Number(days) <= 90)} busy={create.isPending} onClick={() => create.mutate({ modelId, reference: { source: 'trailing', days: Number(days) } })}>
              Use the trailing window
            </Button>
          </fieldset>
          {create.isError ? <Notice tone="error">{errorMessage(create.error)}</Notice> : null}
          {create.isSuccess ? <Notice tone="success">Reference “{create.data.name}” created; the worker builds its profile within a minute.</Notice> : null}
        </div>
      )}
    </Card>
  );
}
