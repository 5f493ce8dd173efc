import { z } from 'zod';
import { AlertListQuerySchema, ChannelInputSchema, ChannelUpdateSchema, SilenceCreateSchema } from './alert-management.schema.js';
import { NotificationPolicySchema, type AlertRuleDefinitionInput } from './alerting.schema.js';
import { IdSchema } from './web.schema.js';

/**
 * Inputs of the web app's alerting procedures (rules, channels, silences, alerts, the team
 * notification policy). The bodies reuse the alert-management schemas the REST API validates
 * with; these add the ids that say which object or team a call is about.
 */

export const AlertIdInputSchema = z.object({ alertId: IdSchema });
export const AlertRuleIdInputSchema = z.object({ ruleId: IdSchema });
export const ChannelIdInputSchema = z.object({ channelId: IdSchema });
export const SilenceIdInputSchema = z.object({ silenceId: IdSchema });

/** Omitted: every default (active alerts, 100 of them). */
export const AlertListInputSchema = AlertListQuerySchema.prefault({});
export type AlertListInput = z.input<typeof AlertListInputSchema>;

/**
 * A rule body as a client sends it. Only its shape is checked here: the full check
 * (`AlertRuleDefinitionSchema` plus "its channels, projects and models are the team's own") runs
 * in `validateAlertRule`, so every error names a path inside the definition (`channels.0`,
 * `condition.threshold.critical`) whichever check found it.
 */
export const AlertRuleDraftSchema = z.custom<AlertRuleDefinitionInput>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  { message: 'a rule definition (an object) is required' },
);

export const AlertRuleListInputSchema = z.object({ teamId: IdSchema.optional() }).prefault({});
export const AlertRuleCreateInputSchema = z.object({ teamId: IdSchema, definition: AlertRuleDraftSchema });
export const AlertRuleUpdateInputSchema = z.object({ ruleId: IdSchema, definition: AlertRuleDraftSchema });

/** How far back a backtest replays: 30 days, 7 for rolling-1h rules (a point per minute). */
export const BACKTEST_MAX_DAYS = 30;
export const BACKTEST_MAX_DAYS_ROLLING = 7;
export const AlertRuleBacktestInputSchema = z.object({
  teamId: IdSchema,
  definition: AlertRuleDraftSchema,
  /** Default: the most allowed for the rule's granularity. */
  days: z.number().int().min(1).max(BACKTEST_MAX_DAYS).optional(),
});

/**
 * `POST /v1/alert-rules/backtest`: the same draft and days for the API key's team. Both
 * transports answer with one result (`backtestRule` in @vigil/services), which also refuses
 * more days than the rule's granularity allows, at `days`.
 */
export const AlertRuleBacktestBodySchema = AlertRuleBacktestInputSchema.omit({ teamId: true }).strict();

export const ChannelCreateInputSchema = z.object({ teamId: IdSchema, channel: ChannelInputSchema });
export const ChannelUpdateInputSchema = ChannelUpdateSchema.extend({ channelId: IdSchema });

export const SilenceListInputSchema = z.object({ includeExpired: z.boolean().default(false) }).prefault({});
export const SilenceCreateInputSchema = SilenceCreateSchema.safeExtend({ teamId: IdSchema });
export type SilenceCreateInput = z.input<typeof SilenceCreateInputSchema>;

export const NotificationPolicySetInputSchema = z.object({ teamId: IdSchema, policy: NotificationPolicySchema });
