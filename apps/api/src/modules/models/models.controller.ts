import { Body, Controller, HttpCode, Inject, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { formatIssues, ModelSettingsSchema, ReferenceFromEventsSchema, SlugSchema, VigilError } from '@vigil/contracts';
import type { z } from 'zod';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import { CurrentPrincipal, RequiresScope, type Principal } from '../auth/principal.js';
import { ModelsService } from './models.service.js';

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new VigilError('VALIDATION_FAILED', `${what} is invalid`, { errors: formatIssues(r.error) });
  return r.data;
}

@Controller('v1/models')
@UseGuards(ApiKeyGuard)
@RequiresScope('admin')
export class ModelsController {
  constructor(@Inject(ModelsService) private readonly models: ModelsService) {}

  @Patch(':model')
  update(@CurrentPrincipal() p: Principal, @Param('model') model: string, @Body() body: unknown) {
    return this.models.update(p, parse(SlugSchema, model, 'model'), parse(ModelSettingsSchema, body, 'body'));
  }

  @Post(':model/references')
  @HttpCode(202)
  reference(@CurrentPrincipal() p: Principal, @Param('model') model: string, @Body() body: unknown) {
    return this.models.createReference(p, parse(SlugSchema, model, 'model'), parse(ReferenceFromEventsSchema, body, 'body'));
  }
}
