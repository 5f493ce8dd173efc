'use client';

import { autoBucket, bucketsFor, RELATIVE_RANGES, resolveTimeRange, type BucketName } from '@vigil/contracts';
import { useId, useState } from 'react';
import { Button } from '~/components/ui';
import { useUrlState } from './use-url-state';

const RELATIVE: { range: '24h' | '7d' | '30d'; label: string }[] = [
  { range: '24h', label: 'Last 24 h' },
  { range: '7d', label: '7 days' },
  { range: '30d', label: '30 days' },
];

const BUCKET_LABEL: Record<BucketName, string> = {
  '15m': '15 min',
  '1h': '1 hour',
  '2h': '2 hours',
  '4h': '4 hours',
  '6h': '6 hours',
  '12h': '12 hours',
  '1d': '1 day',
  '2d': '2 days',
  '7d': '1 week',
};

/** `YYYY-MM-DDTHH:mm` for a datetime-local input, in UTC. */
const localValue = (iso: string | undefined) => (iso ? iso.slice(0, 16) : '');

/**
 * Last 24 h / 7 d / 30 d or a custom range, and the bucket its charts use (by default the one
 * that gives at most 200 points). Both live in the URL.
 */
export function TimeRangePicker() {
  const { time, setTime } = useUrlState();
  const [custom, setCustom] = useState(time.range === 'custom');
  const [from, setFrom] = useState(localValue(time.from));
  const [to, setTo] = useState(localValue(time.to));
  const id = useId();
  const resolved = resolveTimeRange(time, Date.now());
  const span = resolved.to - resolved.from;
  const buckets = bucketsFor(span);
  const auto = autoBucket(time.range === 'custom' ? span : RELATIVE_RANGES[time.range as keyof typeof RELATIVE_RANGES] ?? span);
  const applyCustom = () => {
    if (!from || !to) return;
    setTime({ range: 'custom', from: `${from}:00.000Z`, to: `${to}:00.000Z` });
  };
  return (
    <div className="time-picker" role="group" aria-label="Time range">
      <div className="ui-segmented">
        {RELATIVE.map((r) => (
          <button
            key={r.range}
            type="button"
            aria-pressed={time.range === r.range && !custom}
            onClick={() => {
              setCustom(false);
              setTime({ range: r.range });
            }}
          >
            {r.label}
          </button>
        ))}
        <button
          type="button"
          aria-pressed={custom || time.range === 'custom'}
          onClick={() => setCustom(true)}
        >
          Custom
        </button>
      </div>
      {custom ? (
        <div className="time-picker__custom">
          <label htmlFor={`${id}-from`} className="ui-visually-hidden">
            From (UTC)
          </label>
          <input id={`${id}-from`} className="ui-input" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          <span aria-hidden>–</span>
          <label htmlFor={`${id}-to`} className="ui-visually-hidden">
            To (UTC)
          </label>
          <input id={`${id}-to`} className="ui-input" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          <Button size="sm" onClick={applyCustom} disabled={!from || !to || from >= to}>
            Apply
          </Button>
        </div>
      ) : null}
      <label className="time-picker__bucket">
        <span className="ui-hint">per</span>
        <select
          className="ui-input ui-select"
          aria-label="Bucket"
          value={time.bucket ?? ''}
          onChange={(e) => setTime({ ...time, bucket: (e.target.value || undefined) as BucketName | undefined })}
        >
          <option value="">{`auto (${BUCKET_LABEL[auto]})`}</option>
          {buckets.map((b) => (
            <option key={b} value={b}>
              {BUCKET_LABEL[b]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

