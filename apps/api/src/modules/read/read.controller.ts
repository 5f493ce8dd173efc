import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { MetricsQuerySchema, ModelDetailQuerySchema, ModelListQuerySchema, SlugSchema } from '@vigil/contracts';
import { parseInput } from '../../common/parse.js';
import { ApiKeyAuth } from '../auth/api-key.hook.js';
import { CurrentPrincipal, RequiresScope, type Principal } from '../auth/principal.js';
import { ReadService } from './read.service.js';

const slug = (value: string) => parseInput(SlugSchema, value, 'model');

@Controller('v1/models')
@ApiKeyAuth()
@RequiresScope('read')
export class ReadController {
  constructor(@Inject(ReadService) private readonly read: ReadService) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.read.listModels(principal, parseInput(ModelListQuerySchema, query, 'query'));
  }

  @Get(':model')
  model(@CurrentPrincipal() principal: Principal, @Param('model') model: string, @Query() query: Record<string, unknown>) {
    return this.read.model(principal, slug(model), parseInput(ModelDetailQuerySchema, query, 'query'));
  }

  @Get(':model/metrics')
  metrics(@CurrentPrincipal() principal: Principal, @Param('model') model: string, @Query() query: Record<string, unknown>) {
    return this.read.metrics(principal, slug(model), parseInput(MetricsQuerySchema, query, 'query'));
  }
}
