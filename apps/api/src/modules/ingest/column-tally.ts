import { columnKindOf, type ColumnKind, type ColumnRole, type Prediction } from '@vigil/contracts';

export interface ColumnObservation {
  role: ColumnRole;
  name: string;
  /** The kind of the first value seen in the batch: what a new column is registered as. */
  first: ColumnKind;
  counts: Record<ColumnKind, number>;
}

/** Counts the kinds of the values of every column in a batch, per model. */
export class ColumnTally {
  readonly columns = new Map<string, ColumnObservation>();

  add(role: ColumnRole, name: string, value: unknown): void {
    const kind = columnKindOf(value);
    if (!kind) return;
    const key = columnKey(role, name);
    let obs = this.columns.get(key);
    if (!obs) {
      obs = { role, name, first: kind, counts: { numerical: 0, categorical: 0, boolean: 0 } };
      this.columns.set(key, obs);
    }
    obs.counts[kind] += 1;
  }

  addPrediction(p: Prediction): void {
    for (const name in p.features) this.add('feature', name, p.features[name]);
    this.add('prediction', 'prediction', p.prediction);
    if (typeof p.scores === 'number') this.add('score', 'score', p.scores);
    else if (p.scores) for (const name in p.scores) this.add('score', name, p.scores[name]);
    if (p.label !== undefined) this.add('label', 'label', p.label);
  }
}

export function columnKey(role: ColumnRole, name: string): string {
  return `${role}\u0000${name}`;
}
