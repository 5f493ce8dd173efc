import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { IngestResponse } from '@vigil/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireMediaType } from '../../common/body.js';
import { ApiKeyAuth } from '../auth/api-key.hook.js';
import { CurrentPrincipal, RequiresScope, type Principal } from '../auth/principal.js';
import { MetricsService } from '../observability/metrics.service.js';
import { IngestService } from './ingest.service.js';

const JSON_ONLY = ['application/json'];

@Controller('v1')
@ApiKeyAuth()
@RequiresScope('ingest')
export class IngestController {
  constructor(
    @Inject(IngestService) private readonly ingest: IngestService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

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
    this.metrics.countIngest('prediction', result.body);
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
    this.metrics.countIngest('label', result.body);
    void reply.status(result.status);
    return result.body;
  }
}
