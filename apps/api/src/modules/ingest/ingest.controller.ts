import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { IngestResponse } from '@vigil/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireMediaType } from '../../common/body.js';
import { ApiKeyGuard } from '../auth/api-key.guard.js';
import { CurrentPrincipal, RequiresScope, type Principal } from '../auth/principal.js';
import { IngestService } from './ingest.service.js';

const JSON_ONLY = ['application/json'];

@Controller('v1')
@UseGuards(ApiKeyGuard)
@RequiresScope('ingest')
export class IngestController {
  constructor(@Inject(IngestService) private readonly ingest: IngestService) {}

  @Post('predictions')
  @HttpCode(200)
  async predictions(
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IngestResponse> {
    requireMediaType(req, JSON_ONLY);
    const result = await this.ingest.ingestPredictions(principal, body);
    void reply.status(result.status);
    return result.body;
  }

  @Post('labels')
  @HttpCode(200)
  async labels(
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IngestResponse> {
    requireMediaType(req, JSON_ONLY);
    const result = await this.ingest.ingestLabels(principal, body);
    void reply.status(result.status);
    return result.body;
  }
}
