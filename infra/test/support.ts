import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
/** A YAML file, with merge keys (`<<: *anchor`) applied as Docker Compose applies them. */
export const readYaml = <T = Record<string, unknown>>(path: string) => parse(read(path), { merge: true }) as T;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes objects are checked field by field
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: any; data?: Record<string, string> };

/** `kubectl kustomize <dir>` as parsed objects (kubectl from Debian's package; .ci/run installs it). */
export function kustomize(dir: string): K8sObject[] {
  let out: string;
  try {
    out = execFileSync('kubectl', ['kustomize', join(ROOT, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`kubectl kustomize ${dir} failed (is kubectl installed? .ci/run installs it): ${(err as Error).message}`, { cause: err });
  }
  return parseAllDocuments(out).map((d) => d.toJSON() as K8sObject);
}

export interface DockerStage {
  name: string;
  from: string;
  lines: string[];
}

/** The Dockerfile's stages: `FROM <image> AS <name>` and the instructions until the next FROM (continuations joined). */
export function dockerStages(path = 'Dockerfile'): DockerStage[] {
  const logical = read(path)
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: DockerStage[] = [];
  for (const line of logical) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1]!, name: from[2] ?? `stage${stages.length}`, lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}
