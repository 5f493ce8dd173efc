import { VigilError } from '@vigil/contracts';

/*
 * Opaque page cursors of the read API: base64url of a small JSON array holding the last key of
 * the page. Clients pass them back as they got them; anything else is a 400 naming the field.
 */

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key a cursor holds (`length` strings), or a 400 naming `field`. */
export function decodeCursor(cursor: string, length: number, field: string): string[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== length || !key.every((k) => typeof k === 'string')) {
    throw new VigilError('VALIDATION_FAILED', `${field} is not a cursor returned by this API`, {
      errors: [{ path: field, message: 'is not a cursor returned by this API; pass the last page’s cursor as it was' }],
    });
  }
  return key as string[];
}
