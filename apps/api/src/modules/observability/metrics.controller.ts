import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { MetricsService } from './metrics.service.js';

@Controller()
export class MetricsController {
  constructor(@Inject(MetricsService) private readonly metrics: MetricsService) {}

  /** Prometheus exposition; aggregate numbers only, no tenant data. */
  @Get('metrics')
  async scrape(@Res() reply: FastifyReply) {
    const body = await this.metrics.registry.metrics();
    return reply.header('content-type', this.metrics.registry.contentType).send(body);
  }
}
