import { Controller, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { formatIssues, ReferenceUploadQuerySchema, SlugSchema, VigilError, type ReferenceUploadResponse } from '@vigil/contracts';
import type { FastifyRequest } from 'fastify';
import { decodedStream, requireMediaType, STREAMED_CONTENT_TYPES } from '../../common/body.js';
import { ApiKeyAuth } from '../auth/api-key.hook.js';
import { CurrentPrincipal, RequiresScope, type Principal } from '../auth/principal.js';
import { ReferenceService } from './reference.service.js';

@Controller('v1/models')
@ApiKeyAuth()
@RequiresScope('ingest')
export class ReferenceController {
  constructor(@Inject(ReferenceService) private readonly reference: ReferenceService) {}

  @Post(':model/reference')
  @HttpCode(201)
  async upload(
    @CurrentPrincipal() principal: Principal,
    @Param('model') model: string,
    @Query() query: unknown,
    @Req() req: FastifyRequest,
  ): Promise<ReferenceUploadResponse> {
    const type = requireMediaType(req, STREAMED_CONTENT_TYPES);
    const slug = SlugSchema.safeParse(model);
    if (!slug.success) throw new VigilError('VALIDATION_FAILED', 'model slug is invalid', { errors: formatIssues(slug.error) });
    const q = ReferenceUploadQuerySchema.safeParse(query ?? {});
    if (!q.success) throw new VigilError('VALIDATION_FAILED', 'query is invalid', { errors: formatIssues(q.error) });
    const name = q.data.name ?? `upload ${new Date().toISOString()}`;
    return this.reference.upload(principal, slug.data, name, type === 'text/csv' ? 'csv' : 'jsonl', decodedStream(req.raw));
  }
}
