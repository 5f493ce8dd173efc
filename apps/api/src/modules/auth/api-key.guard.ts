import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { VigilError, type ApiKeyScope } from '@vigil/contracts';
import type { FastifyRequest } from 'fastify';
import { ApiKeyService } from './api-key.service.js';
import { REQUIRED_SCOPE, setPrincipal } from './principal.js';
import { RateLimitService } from './rate-limit.service.js';

/**
 * The entry check of every API-key route: authenticate (401), check the route's scope (403),
 * then charge the project's rate limit (429). A route without `@RequiresScope` is refused.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ApiKeyService) private readonly keys: ApiKeyService,
    @Inject(RateLimitService) private readonly rateLimit: RateLimitService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scope = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(REQUIRED_SCOPE, [context.getHandler(), context.getClass()]);
    if (!scope) throw new VigilError('FORBIDDEN', 'route declares no scope');
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = await this.keys.authenticate(request.headers.authorization);
    if (!principal.scopes.includes(scope)) {
      throw new VigilError('FORBIDDEN', `API key lacks the "${scope}" scope`, { requiredScope: scope });
    }
    await this.rateLimit.charge(principal.projectId);
    setPrincipal(request, principal);
    return true;
  }
}
