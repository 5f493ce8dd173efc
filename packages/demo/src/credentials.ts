import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * What an install keeps of its demo workspace (`.vigil/demo-credentials.json`, git-ignored):
 * the owner's sign-in and the demo project's key as before (`email`, `password`, `apiKey`), plus
 * a key per project for the simulator and the moment the history was seeded, which anchors the
 * story the simulator continues.
 */
export interface DemoCredentials {
  email: string;
  password: string;
  /** the "Fraud Detection" project's key (ingest + read) */
  apiKey: string;
  /** project slug → its key (ingest + read) */
  apiKeys?: Record<string, string>;
  /** ISO time the history was seeded up to */
  seededAt?: string;
}

/** The file's credentials, or null when there is none (a file that cannot be read as credentials is an error). */
export async function readCredentials(file: string): Promise<DemoCredentials | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<DemoCredentials>;
  if (typeof parsed.email !== 'string' || typeof parsed.password !== 'string' || typeof parsed.apiKey !== 'string') {
    throw new Error(`${file} does not hold demo credentials ({ email, password, apiKey })`);
  }
  return parsed as DemoCredentials;
}

/** Writes the credentials readable by the owner only, replacing the file in one step. */
export async function writeCredentials(file: string, creds: DemoCredentials): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}
