import { columnKindOf, type ColumnKind, type ColumnRole, type Prediction } from '@vigil/contracts';

export interface ColumnObservation {
  role: ColumnRole;
  name: string;
  /** The kind of the first value seen in the batch: what a new column is registered as. */
  first: ColumnKind;
  counts: Record<ColumnKind, number>;
}

/**
 * Counts the kinds of the values of every column in a batch, per model. Runs for every value
 * of every event, so it keeps one map per role (no key strings built per value).
 */
export class ColumnTally {
  private readonly byRole: Record<ColumnRole, Map<string, ColumnObservation>> = {
    feature: new Map(),
    prediction: new Map(),
    score: new Map(),
    label: new Map(),
  };

  add(role: ColumnRole, name: string, value: unknown): void {
    const kind = columnKindOf(value);
    if (kind === null) return;
    const map = this.byRole[role];
    let obs = map.get(name);
    if (!obs) {
      obs = { role, name, first: kind, counts: { numerical: 0, categorical: 0, boolean: 0 } };
      map.set(name, obs);
    }
    obs.counts[kind] += 1;
  }

  addPrediction(p: Prediction): void {
    const features = p.features;
    for (const name in features) this.add('feature', name, features[name]);
    this.add('prediction', 'prediction', p.prediction);
    if (typeof p.scores === 'number') this.add('score', 'score', p.scores);
    else if (p.scores) for (const name in p.scores) this.add('score', name, p.scores[name]);
    if (p.label !== undefined) this.add('label', 'label', p.label);
  }

  /** Every column seen, keyed by `columnKey(role, name)`. */
  get columns(): Map<string, ColumnObservation> {
    const out = new Map<string, ColumnObservation>();
    for (const map of Object.values(this.byRole)) for (const obs of map.values()) out.set(columnKey(obs.role, obs.name), obs);
    return out;
  }
}

export function columnKey(role: ColumnRole, name: string): string {
  return `${role}\u0000${name}`;
}
