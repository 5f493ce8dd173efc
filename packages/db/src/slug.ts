import { randomBytes } from 'node:crypto';

/** A URL-safe slug from a display name: lowercase ASCII letters, digits and single dashes. */
export function slugify(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return s || 'workspace';
}

/** A slug for `name` that `taken` does not report as used: the plain slug, else with a short suffix. */
export async function uniqueSlug(name: string, taken: (slug: string) => Promise<boolean>): Promise<string> {
  const base = slugify(name);
  if (!(await taken(base))) return base;
  for (let i = 0; i < 5; i++) {
    const candidate = `${base.slice(0, 42)}-${randomBytes(3).toString('hex')}`;
    if (!(await taken(candidate))) return candidate;
  }
  return `${base.slice(0, 36)}-${randomBytes(6).toString('hex')}`;
}
