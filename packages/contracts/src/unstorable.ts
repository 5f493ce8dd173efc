import { VigilError } from './errors.js';

/**
 * NUL characters and lone surrogates cannot be stored by Postgres (text or jsonb): any input
 * that reaches the database is checked with `findUnstorableText` first, so such text gets a 400
 * naming its field instead of a database error.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Dotted path of the first string (key or value) Postgres could not store, or of a `__proto__`
 * key (which copying would turn into a prototype instead of data), or null.
 */
export function findUnstorableText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path || '(root)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findUnstorableText(value[i], path ? `${path}.${i}` : String(i));
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      if (k === '__proto__' || UNSTORABLE.test(k)) return p;
      const hit = findUnstorableText(v, p);
      if (hit) return hit;
    }
  }
  return null;
}

/** The message for a field `findUnstorableText` found. */
export const UNSTORABLE_TEXT_MESSAGE = 'contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored';

/**
 * A 400 (VALIDATION_FAILED) naming the first field of `value` whose text cannot be stored, or
 * null when all of it can. `rootPath` names `value` itself when it is the culprit (a path
 * parameter's name; '' for a whole body).
 */
export function unstorableTextError(value: unknown, rootPath = ''): VigilError | null {
  const at = findUnstorableText(value);
  if (at === null) return null;
  const path = at === '(root)' ? rootPath : at;
  return new VigilError('VALIDATION_FAILED', `${path || 'input'} ${UNSTORABLE_TEXT_MESSAGE}`, { errors: [{ path, message: UNSTORABLE_TEXT_MESSAGE }] });
}
