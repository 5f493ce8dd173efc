import { Controller, Delete, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { type Db } from '@vigil/db';
import { biAccessStatus, biEndpoint, issueBiAccess, requireWorkspaceAdminKey, revokeBiAccess, type BiEndpoint } from '@vigil/services';
import type { ApiEnv } from '../../env.js';
import { DB, ENV } from '../../infra/tokens.js';
import { ApiKeyAuth } from '../auth/api-key.hook.js';
import { CurrentPrincipal, RequiresScope, type Principal } from '../auth/principal.js';

/**
 * The workspace's read-only BI login (docs/bi.md), for an admin-scoped key of any of its
 * projects that a workspace owner or admin created: POST creates it (or rotates its password), DELETE revokes it. The password is in
 * the POST answer only.
 */
@Controller('v1/bi-access')
@ApiKeyAuth()
@RequiresScope('admin')
export class BiController {
  private readonly endpoint: BiEndpoint;

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(ENV) env: ApiEnv,
  ) {
    this.endpoint = biEndpoint(env.DATABASE_URL, { host: env.VIGIL_BI_HOST, port: env.VIGIL_BI_PORT });
  }

  @Get()
  async status(@CurrentPrincipal() p: Principal) {
    await requireWorkspaceAdminKey(this.db, p.organizationId, p.apiKeyId);
    return biAccessStatus(this.db, p.organizationId, this.endpoint);
  }

  @Post()
  @HttpCode(201)
  async issue(@CurrentPrincipal() p: Principal) {
    await requireWorkspaceAdminKey(this.db, p.organizationId, p.apiKeyId);
    return issueBiAccess(this.db, { organizationId: p.organizationId, apiKeyId: p.apiKeyId }, this.endpoint);
  }

  @Delete()
  async revoke(@CurrentPrincipal() p: Principal): Promise<{ revoked: boolean }> {
    await requireWorkspaceAdminKey(this.db, p.organizationId, p.apiKeyId);
    return { revoked: await revokeBiAccess(this.db, { organizationId: p.organizationId, apiKeyId: p.apiKeyId }) };
  }
}
