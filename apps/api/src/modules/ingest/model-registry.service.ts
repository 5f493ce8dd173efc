import { Inject, Injectable } from '@nestjs/common';
import type { ColumnKind } from '@vigil/contracts';
import {
  addModelColumns,
  addTypeMismatches,
  loadModelColumns,
  resourceLimitsOf,
  upsertModel,
  upsertModelVersion,
  type ColumnMismatch,
  type Db,
  type ResourceLimits,
  type StoredColumn,
  type TenantRef,
} from '@vigil/db';
import type { ApiEnv } from '../../env.js';
import { DB, ENV } from '../../infra/tokens.js';
import { columnKey, type ColumnTally } from './column-tally.js';

export interface ModelSchema {
  id: string;
  /** version name → id */
  versions: Map<string, string>;
  /** columnKey(role, name) → kind */
  columns: Map<string, ColumnKind>;
}

const MAX_CACHED_MODELS = 20_000;

/**
 * Models, versions and column schemas, registered on first sight and cached in-process, so a
 * steady stream for known models costs no schema query. Columns keep their first-seen kind;
 * values of another kind are counted as type mismatches on the column, never rejected.
 * Registration is idempotent (upserts), so several API processes may race safely.
 */
@Injectable()
export class ModelRegistry {
  private readonly models = new Map<string, Promise<ModelSchema>>();
  private readonly limits: ResourceLimits;

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(ENV) env: ApiEnv,
  ) {
    this.limits = resourceLimitsOf(env);
  }

  model(tenant: TenantRef, slug: string): Promise<ModelSchema> {
    const key = `${tenant.projectId}\u0000${slug}`;
    let entry = this.models.get(key);
    if (!entry) {
      entry = this.load(tenant, slug);
      entry.catch(() => this.models.delete(key));
      if (this.models.size >= MAX_CACHED_MODELS) this.models.delete(this.models.keys().next().value!);
      this.models.set(key, entry);
    }
    return entry;
  }

  async versionId(tenant: TenantRef, schema: ModelSchema, name: string): Promise<string> {
    const known = schema.versions.get(name);
    if (known) return known;
    const id = await upsertModelVersion(this.db.pool, tenant, schema.id, name, this.limits);
    schema.versions.set(name, id);
    return id;
  }

  /** Registers columns seen for the first time and records values whose kind disagrees. */
  async observe(tenant: TenantRef, schema: ModelSchema, tally: ColumnTally): Promise<void> {
    const fresh: StoredColumn[] = [];
    for (const [key, obs] of tally.columns) {
      if (!schema.columns.has(key)) fresh.push({ role: obs.role, name: obs.name, kind: obs.first });
    }
    if (fresh.length > 0) {
      await addModelColumns(this.db.pool, tenant, schema.id, fresh, this.limits);
      // Another process may have registered a column first, with another kind: the stored one wins.
      for (const c of await loadModelColumns(this.db.pool, tenant, schema.id)) schema.columns.set(columnKey(c.role, c.name), c.kind);
    }
    const mismatches: ColumnMismatch[] = [];
    for (const [key, obs] of tally.columns) {
      const kind = schema.columns.get(key);
      if (!kind) continue;
      const count = obs.counts.numerical + obs.counts.categorical + obs.counts.boolean - obs.counts[kind];
      if (count > 0) mismatches.push({ role: obs.role, name: obs.name, count });
    }
    await addTypeMismatches(this.db.pool, tenant, schema.id, mismatches);
  }

  /** Forgets cached schemas (tests). */
  clear(): void {
    this.models.clear();
  }

  private async load(tenant: TenantRef, slug: string): Promise<ModelSchema> {
    const id = await upsertModel(this.db.pool, tenant, slug, this.limits);
    const columns = new Map<string, ColumnKind>();
    for (const c of await loadModelColumns(this.db.pool, tenant, id)) columns.set(columnKey(c.role, c.name), c.kind);
    return { id, versions: new Map(), columns };
  }
}
