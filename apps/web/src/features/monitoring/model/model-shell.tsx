'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { Badge, Button, Notice } from '~/components/ui';
import { errorMessage } from '~/lib/errors';
import { ago, count } from '../format';
import { HealthBadge } from '../health-badge';
import { TimeRangePicker } from '../time-range-picker';
import { useUrlState } from '../use-url-state';
import { ReportDialog } from './report-dialog';
import { useModel } from './use-model';

const TABS = [
  { path: '', label: 'Overview' },
  { path: '/drift', label: 'Data drift' },
  { path: '/quality', label: 'Data quality' },
  { path: '/performance', label: 'Performance' },
  { path: '/segments', label: 'Segments' },
  { path: '/versions', label: 'Versions' },
  { path: '/alerts', label: 'Alerts' },
  { path: '/settings', label: 'Settings' },
];

/** Tabs keep the range and version; tab-specific choices (a selected column) stay behind. */
const KEPT = ['range', 'from', 'to', 'bucket', 'version'];

/** The top of every tab of a model's page: who it is, how it is, its version and range, and the tabs. */
export function ModelShell({ modelId, children }: { modelId: string; children: ReactNode }) {
  const { header } = useModel(modelId);
  const { set } = useUrlState();
  const pathname = usePathname();
  const params = useSearchParams();
  const [report, setReport] = useState(false);
  const base = `/models/${modelId}`;
  const kept = new URLSearchParams([...params.entries()].filter(([k]) => KEPT.includes(k))).toString();
  if (header.isError) {
    return <Notice tone="error">{errorMessage(header.error)}</Notice>;
  }
  const h = header.data;
  const versionParam = params.get('version');
  return (
    <div className="model-page" data-model={h?.model.slug}>
      <header className="model-header">
        <div className="model-header__title">
          <div className="ui-hint">
            <Link href="/">Overview</Link> / {h?.model.project.name ?? '…'} · {h?.model.team.name ?? ''}
          </div>
          <h1>
            {h?.model.name ?? 'Loading…'} {h ? <HealthBadge level={h.status.health.level} reasons={h.status.health.reasons} /> : null}
          </h1>
          {h ? (
            <ul className="model-header__reasons">
              {h.status.health.reasons.map((r) => (
                <li key={r.kind + r.text} data-kind={r.kind}>
                  {r.text}
                </li>
              ))}
              {h.status.health.reasons.length === 0 ? <li className="ok">Nothing needs attention.</li> : null}
            </ul>
          ) : null}
        </div>
        <div className="model-header__facts">
          {h ? (
            <>
              <span>
                <span className="ui-hint">task</span> {h.model.task ?? (h.status.family ?? 'unknown')}
              </span>
              <span>
                <span className="ui-hint">last event</span> {ago(h.status.lastEventAt)}
              </span>
              <span>
                <span className="ui-hint">reference</span>{' '}
                {h.reference ? (
                  <>
                    {h.reference.name} <Badge tone="neutral">{`${count(h.reference.rows)} rows`}</Badge>
                  </>
                ) : (
                  <Link href={`${base}/settings${kept ? `?${kept}` : ''}#reference`}>none yet</Link>
                )}
              </span>
              {h.model.versions.length > 1 ? (
                <label className="version-select">
                  <span className="ui-hint">version</span>
                  <select
                    className="ui-input ui-select"
                    aria-label="Version"
                    value={versionParam ?? h.model.versions[0]!.id}
                    onChange={(e) => set({ version: e.target.value === h.model.versions[0]!.id ? null : e.target.value })}
                  >
                    {h.model.versions.map((v) => (
                      <option key={v.id} value={v.id}>
                        {v.name}
                      </option>
                    ))}
                  </select>
                </label>
              ) : null}
              <Button size="sm" onClick={() => setReport(true)}>
                Report…
              </Button>
            </>
          ) : null}
        </div>
      </header>
      <div className="model-toolbar">
        <nav className="model-tabs" aria-label="Model">
          {TABS.map((t) => {
            const href = `${base}${t.path}`;
            const current = t.path === '' ? pathname === base : pathname.startsWith(href);
            return (
              <Link key={t.path} href={kept ? `${href}?${kept}` : href} aria-current={current ? 'page' : undefined}>
                {t.label}
              </Link>
            );
          })}
        </nav>
        {pathname.endsWith('/settings') || pathname.endsWith('/alerts') ? null : <TimeRangePicker />}
      </div>
      {children}
      {h ? <ReportDialog open={report} onClose={() => setReport(false)} modelId={modelId} versions={h.model.versions} /> : null}
    </div>
  );
}
