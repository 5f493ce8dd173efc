'use client';

import { useState } from 'react';
import { Dialog, Notice, SelectField, TextField } from '~/components/ui';
import { useUrlState } from '../use-url-state';

const HOUR = 3_600_000;
const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const iso = (value: string) => `${value}:00.000Z`;

/**
 * A one-off report of a window, the HTML page `vigil report` writes: against the reference, or
 * against another window. Downloads from `GET /api/models/{id}/report`.
 */
export function ReportDialog({ open, onClose, modelId, versions }: { open: boolean; onClose: () => void; modelId: string; versions: { id: string; name: string }[] }) {
  const { version } = useUrlState();
  const now = Math.floor(Date.now() / HOUR) * HOUR + HOUR;
  const [from, setFrom] = useState(local(now - 24 * HOUR));
  const [to, setTo] = useState(local(now));
  const [against, setAgainst] = useState<'reference' | 'window'>('reference');
  const [baselineFrom, setBaselineFrom] = useState(local(now - 8 * 24 * HOUR));
  const [baselineTo, setBaselineTo] = useState(local(now - 7 * 24 * HOUR));
  const [versionId, setVersionId] = useState(version ?? versions[0]?.id ?? '');
  const q = new URLSearchParams({ from: iso(from), to: iso(to), against, ...(versionId ? { versionId } : {}) });
  if (against === 'window') {
    q.set('baselineFrom', iso(baselineFrom));
    q.set('baselineTo', iso(baselineTo));
  }
  const valid = from < to && (against === 'reference' || baselineFrom < baselineTo);
  return (
    <Dialog open={open} onClose={onClose} title="Download a report" description="The same self-contained HTML report `vigil report` makes, for a window of this model's stored predictions.">
      <div className="ui-form">
        <div className="ui-grid">
          <TextField label="From (UTC)" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          <TextField label="To (UTC)" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        {versions.length > 1 ? (
          <SelectField label="Version" value={versionId} onChange={(e) => setVersionId(e.target.value)} options={versions.map((v) => ({ value: v.id, label: v.name }))} />
        ) : null}
        <SelectField
          label="Compare with"
          value={against}
          onChange={(e) => setAgainst(e.target.value === 'window' ? 'window' : 'reference')}
          options={[
            { value: 'reference', label: 'the reference dataset' },
            { value: 'window', label: 'another window' },
          ]}
        />
        {against === 'window' ? (
          <div className="ui-grid">
            <TextField label="Baseline from (UTC)" type="datetime-local" value={baselineFrom} onChange={(e) => setBaselineFrom(e.target.value)} />
            <TextField label="Baseline to (UTC)" type="datetime-local" value={baselineTo} onChange={(e) => setBaselineTo(e.target.value)} />
          </div>
        ) : null}
        {!valid ? <Notice tone="error">Each window must end after it starts.</Notice> : null}
        <div className="ui-form-actions">
          <a
            className={`ui-button ui-button--primary${valid ? '' : ' is-disabled'}`}
            href={valid ? `/api/models/${modelId}/report?${q.toString()}` : undefined}
            aria-disabled={!valid}
            data-testid="report-download"
            download
          >
            Download HTML report
          </a>
        </div>
      </div>
    </Dialog>
  );
}
