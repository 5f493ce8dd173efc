import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { AlertListQuerySchema, AlertRuleBacktestBodySchema, ChannelInputSchema, ChannelUpdateSchema, IdParamSchema, SilenceCreateSchema } from '@vigil/contracts';
import { z } from 'zod';
import { parseInput as parse } from '../../common/parse.js';
import { ApiKeyAuth } from '../auth/api-key.hook.js';
import { CurrentPrincipal, RequiresScope, type Principal } from '../auth/principal.js';
import { AlertingService } from './alerting.service.js';

const id = (value: string, what: string) => parse(IdParamSchema, value, what);
const SilenceListQuerySchema = z.strictObject({ expired: z.enum(['true', 'false']).default('false') });

/**
 * Alerting over REST. Reading needs a `read` key, changing an `admin` key; a key acts for the
 * team that owns its project.
 */
@Controller('v1')
@ApiKeyAuth()
@RequiresScope('admin')
export class AlertingController {
  constructor(@Inject(AlertingService) private readonly alerting: AlertingService) {}

  @Get('alerts')
  @RequiresScope('read')
  alerts(@CurrentPrincipal() p: Principal, @Query() query: Record<string, unknown>) {
    return this.alerting.alerts(p, parse(AlertListQuerySchema, query, 'query'));
  }

  @Post('alerts/:alertId/acknowledge')
  @HttpCode(200)
  acknowledge(@CurrentPrincipal() p: Principal, @Param('alertId') alertId: string) {
    return this.alerting.acknowledge(p, id(alertId, 'alertId'));
  }

  @Get('alert-rules')
  @RequiresScope('read')
  rules(@CurrentPrincipal() p: Principal) {
    return this.alerting.rules(p);
  }

  @Post('alert-rules')
  @HttpCode(201)
  createRule(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.alerting.createRule(p, body);
  }

  @Post('alert-rules/backtest')
  @HttpCode(200)
  backtest(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.alerting.backtest(p, parse(AlertRuleBacktestBodySchema, body, 'body'));
  }

  @Get('alert-rules/:ruleId')
  @RequiresScope('read')
  rule(@CurrentPrincipal() p: Principal, @Param('ruleId') ruleId: string) {
    return this.alerting.rule(p, id(ruleId, 'ruleId'));
  }

  @Put('alert-rules/:ruleId')
  updateRule(@CurrentPrincipal() p: Principal, @Param('ruleId') ruleId: string, @Body() body: unknown) {
    return this.alerting.updateRule(p, id(ruleId, 'ruleId'), body);
  }

  @Delete('alert-rules/:ruleId')
  deleteRule(@CurrentPrincipal() p: Principal, @Param('ruleId') ruleId: string) {
    return this.alerting.deleteRule(p, id(ruleId, 'ruleId'));
  }

  @Get('channels')
  @RequiresScope('read')
  channels(@CurrentPrincipal() p: Principal) {
    return this.alerting.channels(p);
  }

  @Post('channels')
  @HttpCode(201)
  createChannel(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.alerting.createChannel(p, parse(ChannelInputSchema, body, 'body'));
  }

  @Patch('channels/:channelId')
  updateChannel(@CurrentPrincipal() p: Principal, @Param('channelId') channelId: string, @Body() body: unknown) {
    return this.alerting.updateChannel(p, id(channelId, 'channelId'), parse(ChannelUpdateSchema, body, 'body'));
  }

  @Delete('channels/:channelId')
  deleteChannel(@CurrentPrincipal() p: Principal, @Param('channelId') channelId: string) {
    return this.alerting.deleteChannel(p, id(channelId, 'channelId'));
  }

  @Post('channels/:channelId/test')
  @HttpCode(202)
  testChannel(@CurrentPrincipal() p: Principal, @Param('channelId') channelId: string) {
    return this.alerting.testChannel(p, id(channelId, 'channelId'));
  }

  @Get('channels/:channelId/deliveries')
  @RequiresScope('read')
  deliveries(@CurrentPrincipal() p: Principal, @Param('channelId') channelId: string) {
    return this.alerting.deliveries(p, id(channelId, 'channelId'));
  }

  @Get('silences')
  @RequiresScope('read')
  silences(@CurrentPrincipal() p: Principal, @Query() query: Record<string, unknown>) {
    return this.alerting.silences(p, parse(SilenceListQuerySchema, query, 'query').expired === 'true');
  }

  @Post('silences')
  @HttpCode(201)
  createSilence(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.alerting.createSilence(p, parse(SilenceCreateSchema, body, 'body'));
  }

  @Delete('silences/:silenceId')
  expireSilence(@CurrentPrincipal() p: Principal, @Param('silenceId') silenceId: string) {
    return this.alerting.expireSilence(p, id(silenceId, 'silenceId'));
  }

  @Get('notification-policy')
  @RequiresScope('read')
  policy(@CurrentPrincipal() p: Principal) {
    return this.alerting.policy(p);
  }

  @Put('notification-policy')
  setPolicy(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.alerting.setPolicy(p, body);
  }
}
