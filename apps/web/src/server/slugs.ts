import { randomBytes } from 'node:crypto';
import { slugify } from '@vigil/db';

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
