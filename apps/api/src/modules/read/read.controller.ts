import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { MetricsQuerySchema, SlugSchema, VigilError, formatIssues } from '@vigil/contracts';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import { CurrentPrincipal, RequiresScope, type Principal } from '../auth/principal.js';
import { ReadService } from './read.service.js';

function slug(value: string): string {
  const r = SlugSchema.safeParse(value);
  if (!r.success) throw new VigilError('VALIDATION_FAILED', 'model is not a valid slug', { errors: [{ path: 'model', message: r.error.issues[0]?.message ?? 'invalid' }] });
  return r.data;
}

@Controller('v1/models')
@UseGuards(ApiKeyGuard)
@RequiresScope('read')
export class ReadController {
  constructor(@Inject(ReadService) private readonly read: ReadService) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.read.listModels(principal);
  }

  @Get(':model')
  model(@CurrentPrincipal() principal: Principal, @Param('model') model: string) {
    return this.read.model(principal, slug(model));
  }

  @Get(':model/metrics')
  metrics(@CurrentPrincipal() principal: Principal, @Param('model') model: string, @Query() query: Record<string, unknown>) {
    const q = MetricsQuerySchema.safeParse(query);
    if (!q.success) throw new VigilError('VALIDATION_FAILED', 'query is invalid', { errors: formatIssues(q.error) });
    return this.read.metrics(principal, slug(model), q.data);
  }
}
