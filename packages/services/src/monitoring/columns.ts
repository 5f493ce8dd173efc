/*
 * Column names as metric points carry them: a feature by its own name, every other role as
 * `role:name` (`prediction:prediction`, `score:fraud`), as the worker writes them.
 */
const ROLE_PREFIX = /^(prediction|score|label):/;

/** True for a feature's column name (what drift share and the drift table's feature rows count). */
export const isFeatureColumn = (column: string): boolean => column !== '' && !ROLE_PREFIX.test(column);

/** The (role, name) of a column as points name it. */
export function columnRef(column: string): { role: string; name: string } {
  const m = ROLE_PREFIX.exec(column);
  return m ? { role: m[1]!, name: column.slice(m[0].length) } : { role: 'feature', name: column };
}
