import { Badge, Table, Td, Th } from '~/components/ui';
import type { RouterOutputs } from '~/trpc/react';
import { when } from './format';

export type Backtest = RouterOutputs['alertRule']['backtest'];

/** What a draft rule would have done over the replayed days: its episodes, or why there were none. */
export function BacktestResult({ result }: { result: Backtest }) {
  const n = result.episodes.length;
  return (
    <div className="ui-backtest" data-testid="backtest-result" aria-live="polite">
      <div className="ui-row">
        <strong>
          Would have fired {n} {n === 1 ? 'time' : 'times'} in the last {result.days} {result.days === 1 ? 'day' : 'days'}
        </strong>
        <span className="ui-hint">
          ({result.windows} {result.windows === 1 ? 'window' : 'windows'} replayed, {when(result.from)} – {when(result.to)})
        </span>
      </div>
      {result.windows === 0 ? <p className="ui-hint">No data of this metric in the team’s projects in that period: the rule had nothing to judge.</p> : null}
      {n > 0 ? (
        <div className="ui-subtle-table">
          <Table caption="Backtest episodes">
            <thead>
              <tr>
                <Th>Model</Th>
                <Th>Column / segment</Th>
                <Th>Fired</Th>
                <Th>Resolved</Th>
                <Th>Peak</Th>
              </tr>
            </thead>
            <tbody>
              {result.episodes.map((e) => (
                <tr key={`${e.fingerprint}-${e.firedAt}`}>
                  <Td>{e.modelName}</Td>
                  <Td className="ui-hint">{[e.labels.column, e.labels.segment].filter(Boolean).join(' · ') || '—'}</Td>
                  <Td>{when(e.firedAt)}</Td>
                  <Td>{e.resolvedAt ? when(e.resolvedAt) : <Badge tone="danger">still firing</Badge>}</Td>
                  <Td>
                    <Badge tone={e.peakSeverity === 'critical' ? 'danger' : 'warn'}>{e.peakSeverity}</Badge>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </div>
      ) : null}
    </div>
  );
}
