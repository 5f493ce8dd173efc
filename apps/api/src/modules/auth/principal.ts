import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { ApiKeyScope } from '@vigil/contracts';
import type { TenantRef } from '@vigil/db';

/** Who is calling: the project an API key belongs to, and what the key may do. */
export interface Principal extends TenantRef {
  apiKeyId: string;
  scopes: readonly ApiKeyScope[];
}

export const REQUIRED_SCOPE = 'vigil:required-scope';

/** Declares the scope a route needs; routes guarded by ApiKeyGuard without it are refused. */
export const RequiresScope = (scope: ApiKeyScope) => SetMetadata(REQUIRED_SCOPE, scope);

interface WithPrincipal {
  vigilPrincipal?: Principal;
}

export function setPrincipal(request: object, principal: Principal): void {
  (request as WithPrincipal).vigilPrincipal = principal;
}

export function principalOf(request: object): Principal | undefined {
  return (request as WithPrincipal).vigilPrincipal;
}

/** The authenticated principal of the request (set by ApiKeyGuard). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = principalOf(ctx.switchToHttp().getRequest<object>());
  if (!principal) throw new Error('CurrentPrincipal used on a route without ApiKeyGuard');
  return principal;
});
