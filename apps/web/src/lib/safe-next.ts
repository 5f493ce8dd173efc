/** A stand-in origin to resolve `next` against: only paths that stay on it are accepted. */
const ORIGIN = 'http://vigil.invalid';

/**
 * The page to go to after signing in (or up): `next` when it is a path of this site, else `/`.
 * Accepted: a single `/` followed by anything but `/` or `\`, without control characters or
 * whitespace, that still does so once percent-decoded (`/%2F%2Fevil.example` is refused), and
 * that resolves to this origin. Everything else — `//host`, `/\host`, `https://host`,
 * `javascript:`, tabs and newlines that browsers strip — falls back to `/`.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2048) return '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return '/';
  }
  // eslint-disable-next-line no-control-regex
  if (!/^\/(?![/\\])/.test(next) || /[\u0000-\u0020\u007f-\u009f\\]/.test(next)) return '/';
  // eslint-disable-next-line no-control-regex
  if (!/^\/(?![/\\])/.test(decoded) || /[\u0000-\u001f\u007f-\u009f\\]/.test(decoded)) return '/';
  const url = new URL(next, ORIGIN);
  if (url.origin !== ORIGIN) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
