import { Body, Controller, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ModelSettingsSchema, ReferenceFromEventsSchema, SlugSchema } from '@vigil/contracts';
import { parseInput as parse } from '../../common/parse.js';
import { ApiKeyAuth } from '../auth/api-key.hook.js';
import { CurrentPrincipal, RequiresScope, type Principal } from '../auth/principal.js';
import { ModelsService } from './models.service.js';

@Controller('v1/models')
@ApiKeyAuth()
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
