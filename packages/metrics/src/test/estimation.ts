import { cases, loadReference, nums, obj, type RefObject, type RefValue } from './reference.js';

/** estimation.json: cases grouped by task (cases.binary, cases.multiclass, cases.pca). */
export const estimationRef = loadReference('estimation.json');
const grouped = obj(estimationRef.cases);

export const binaryCases = cases(grouped, 'binary');
export const multiclassCases = cases(grouped, 'multiclass');
export const pcaCases = cases(grouped, 'pca');

/** 1e-8 relative for PCA errors and thresholds (SVD rounding). */
export const PCA_TOLERANCE = 1e-8;

export const f64 = (v: RefValue | undefined): Float64Array => Float64Array.from(nums(v));

/** Row-major reference rows (arrays) as columns. */
export function columnsOf(rows: RefValue | undefined): RefValue[][] {
  if (!Array.isArray(rows)) throw new Error('not a rows array');
  const list = rows as RefValue[][];
  const width = list[0]?.length ?? 0;
  return Array.from({ length: width }, (_, j) => list.map((r) => r[j]!));
}

/** A multiclass case's labels mapped to class indices, and its probability rows as per-class columns. */
export function multiclassInputs(c: RefObject, block: RefObject): { yPred: Int32Array; scores: Float64Array[]; yTrue?: Int32Array } {
  const labels = c.labels as string[];
  const index = (l: RefValue): number => {
    const i = labels.indexOf(l as string);
    if (i < 0) throw new Error(`unknown label ${String(l)}`);
    return i;
  };
  const yPred = Int32Array.from((block.y_pred as RefValue[]).map(index));
  const scores = columnsOf(block.y_proba).map((col) => f64(col));
  return { yPred, scores, ...(block.y_true !== undefined ? { yTrue: Int32Array.from((block.y_true as RefValue[]).map(index)) } : {}) };
}
