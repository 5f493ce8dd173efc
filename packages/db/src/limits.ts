import { VigilError } from '@vigil/contracts';
import pg from 'pg';
import { z } from 'zod';
import { inTransaction, type Executor } from './executor.js';

/*
 * Per-project and per-model resource caps. Whatever registers models, versions, columns or
 * reference datasets (ingest, the web app, the worker) goes through the functions of this
 * package that enforce them, so REST and tRPC share one check. Each count runs in the same
 * transaction as the insert, after a row lock on the parent (project or model): two requests
 * racing for the last slot are serialised, and the cap is never passed.
 */

export interface ResourceLimits {
  modelsPerProject: number;
  versionsPerModel: number;
  columnsPerModel: number;
  referencesPerModel: number;
}

export const DEFAULT_RESOURCE_LIMITS: Readonly<ResourceLimits> = Object.freeze({
  modelsPerProject: 200,
  versionsPerModel: 100,
  columnsPerModel: 1_000,
  referencesPerModel: 50,
});

/** The operator's settings of each cap, named in every error so the message says what to raise. */
export const LIMIT_SETTINGS: Record<keyof ResourceLimits, string> = {
  modelsPerProject: 'MAX_MODELS_PER_PROJECT',
  versionsPerModel: 'MAX_VERSIONS_PER_MODEL',
  columnsPerModel: 'MAX_COLUMNS_PER_MODEL',
  referencesPerModel: 'MAX_REFERENCES_PER_MODEL',
};

const cap = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

/** Env variables of the caps, for the apps' env schemas (api, web, worker) to compose. */
export const ResourceLimitsEnvSchema = z.object({
  MAX_MODELS_PER_PROJECT: cap(DEFAULT_RESOURCE_LIMITS.modelsPerProject),
  MAX_VERSIONS_PER_MODEL: cap(DEFAULT_RESOURCE_LIMITS.versionsPerModel),
  MAX_COLUMNS_PER_MODEL: cap(DEFAULT_RESOURCE_LIMITS.columnsPerModel),
  MAX_REFERENCES_PER_MODEL: cap(DEFAULT_RESOURCE_LIMITS.referencesPerModel),
});

export function resourceLimitsOf(env: z.infer<typeof ResourceLimitsEnvSchema>): ResourceLimits {
  return {
    modelsPerProject: env.MAX_MODELS_PER_PROJECT,
    versionsPerModel: env.MAX_VERSIONS_PER_MODEL,
    columnsPerModel: env.MAX_COLUMNS_PER_MODEL,
    referencesPerModel: env.MAX_REFERENCES_PER_MODEL,
  };
}

const WHAT: Record<keyof ResourceLimits, string> = {
  modelsPerProject: 'a project holds at most {n} models',
  versionsPerModel: 'a model holds at most {n} versions',
  columnsPerModel: 'a model holds at most {n} columns',
  referencesPerModel: 'a model holds at most {n} reference datasets',
};

/** 409 LIMIT_EXCEEDED naming the cap, its value and the setting that raises it. */
export function limitExceeded(limit: keyof ResourceLimits, value: number, detail = ''): VigilError {
  const setting = LIMIT_SETTINGS[limit];
  return new VigilError('LIMIT_EXCEEDED', `${WHAT[limit].replace('{n}', String(value))} (${setting} = ${value})${detail ? `: ${detail}` : ''}`, {
    limit: setting,
    value,
  });
}

/**
 * Runs `work` in a transaction holding a row lock on the parent (`projects` or `models` row of
 * the workspace): cap checks of one parent are serialised. With a pool, a transaction of its
 * own; with a client, the caller's (which should be inside a transaction).
 */
export async function withParentLocked<T>(
  q: Executor,
  parent: { table: 'projects' | 'models'; organizationId: string; id: string },
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const run = async (client: pg.PoolClient) => {
    // NO KEY UPDATE: conflicts with itself, but not with the key-share locks that inserting child rows takes.
    const locked = await client.query(`SELECT 1 FROM ${parent.table} WHERE organization_id = $1 AND id = $2 FOR NO KEY UPDATE`, [parent.organizationId, parent.id]);
    if (locked.rowCount === 0) throw new VigilError('NOT_FOUND', `${parent.table === 'projects' ? 'project' : 'model'} not found`);
    return work(client);
  };
  return q instanceof pg.Pool ? inTransaction(q, run) : run(q as pg.PoolClient);
}
