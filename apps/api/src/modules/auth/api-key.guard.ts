import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { VigilError, type ApiKeyScope } from '@vigil/contracts';
import type { FastifyRequest } from 'fastify';
import { principalOf, REQUIRED_SCOPE } from './principal.js';
import { RateLimitService } from './rate-limit.service.js';

/**
 * The entry check of every API-key route, after the onRequest hook authenticated the key (401,
 * before the body is read; see api-key.hook.ts): check the route's scope (403), then charge the
 * project's rate limit (429). A route without `@RequiresScope` is refused, and so is a guarded
 * controller that is not declared with `@ApiKeyAuth()` (its key would be checked too late).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(RateLimitService) private readonly rateLimit: RateLimitService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scope = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(REQUIRED_SCOPE, [context.getHandler(), context.getClass()]);
    if (!scope) throw new VigilError('FORBIDDEN', 'route declares no scope');
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = principalOf(request);
    if (!principal) throw new Error(`${context.getClass().name} uses ApiKeyGuard without @ApiKeyAuth(): the API key must be checked before the body is read`);
    if (!principal.scopes.includes(scope)) {
      throw new VigilError('FORBIDDEN', `API key lacks the "${scope}" scope`, { requiredScope: scope });
    }
    await this.rateLimit.charge(principal.projectId);
    return true;
  }
}
