import { z } from 'zod';
import { AlertStateSchema, SilenceMatchersSchema } from './alerting.schema.js';

/**
 * Managing alerting (rules, channels, silences, acknowledgements): the inputs of the web app's
 * procedures and of the REST API (admin-scoped keys), validated the same way on both.
 */

export const ChannelType = { webhook: 'webhook', slack: 'slack', email: 'email', pagerduty: 'pagerduty' } as const;
export type ChannelType = (typeof ChannelType)[keyof typeof ChannelType];
export const ChannelTypeSchema = z.enum(['webhook', 'slack', 'email', 'pagerduty']);

const ChannelName = z.string().trim().min(1).max(200);
const HttpUrl = z.url({ protocol: /^https?$/, hostname: z.regexes.hostname }).max(2048);

/** A new channel, with its secrets (stored encrypted, never shown again). */
export const ChannelInputSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('webhook'),
    name: ChannelName,
    url: HttpUrl,
    /** HMAC-SHA256 key of `X-Vigil-Signature`; generated (and shown once) when absent. */
    signingSecret: z.string().min(16).max(256).optional(),
  }),
  z.strictObject({ type: z.literal('slack'), name: ChannelName, webhookUrl: HttpUrl }),
  z.strictObject({ type: z.literal('email'), name: ChannelName, to: z.array(z.email()).min(1).max(20) }),
  z.strictObject({ type: z.literal('pagerduty'), name: ChannelName, routingKey: z.string().trim().min(8).max(64) }),
]);
export type ChannelInput = z.infer<typeof ChannelInputSchema>;

export const ChannelUpdateSchema = z.strictObject({
  name: ChannelName.optional(),
  enabled: z.boolean().optional(),
});
export type ChannelUpdate = z.infer<typeof ChannelUpdateSchema>;

/** A channel as shown: non-secret settings only. */
export interface ChannelView {
  id: string;
  teamId: string;
  name: string;
  type: ChannelType;
  /** webhook/slack: `{ host }`; email: `{ to }`; pagerduty: `{ routingKeyEnd }` (last 4 characters). */
  config: Record<string, unknown>;
  enabled: boolean;
  createdAt: string;
}

export const SilenceCreateSchema = z
  .strictObject({
    matchers: SilenceMatchersSchema,
    comment: z.string().trim().max(1000).default(''),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    /** One of `endsAt` or `durationMinutes`. */
    endsAt: z.iso.datetime({ offset: true }).optional(),
    durationMinutes: z.number().int().min(1).max(90 * 24 * 60).optional(),
  })
  .refine((s) => (s.endsAt === undefined) !== (s.durationMinutes === undefined), {
    message: 'give endsAt or durationMinutes',
    path: ['endsAt'],
  });
export type SilenceCreate = z.infer<typeof SilenceCreateSchema>;

export interface SilenceView {
  id: string;
  teamId: string;
  matchers: z.infer<typeof SilenceMatchersSchema>;
  comment: string;
  startsAt: string;
  endsAt: string;
  active: boolean;
  createdAt: string;
}

export const AlertListQuerySchema = z.strictObject({
  /** `active` = pending, firing or nodata. */
  state: z.union([z.literal('active'), z.literal('all'), AlertStateSchema]).default('active'),
  modelId: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AlertListQuery = z.infer<typeof AlertListQuerySchema>;

export interface AlertView {
  id: string;
  teamId: string;
  rule: { id: string; name: string; metric: string; granularity: string };
  fingerprint: string;
  model: { id: string; slug: string; name: string } | null;
  projectId: string | null;
  version: string;
  column: string;
  segment: string;
  state: z.infer<typeof AlertStateSchema>;
  severity: 'warning' | 'critical' | null;
  value: number | null;
  startedAt: string | null;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
  lastEvaluatedAt: string | null;
}

export interface AlertRuleView {
  id: string;
  teamId: string;
  name: string;
  enabled: boolean;
  definition: unknown;
  createdAt: string;
  updatedAt: string;
}

export const IdParamSchema = z.string().min(1).max(128);
