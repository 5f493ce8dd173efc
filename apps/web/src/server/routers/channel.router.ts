import { assertChannelReceivers, ChannelCreateInputSchema, ChannelUpdateInputSchema } from '@vigil/contracts';
import { createChannel, createTestDelivery, deleteChannel, listChannels, listDeliveries, updateChannel } from '@vigil/db';
import { env } from '~/env';
import { getSecretBox } from '../secrets';
import { alertingProcedure, alertingTeamProcedure, channelProcedure, router } from '../trpc';

/** Deliveries shown per channel: enough to follow a test and the latest notifications. */
const DELIVERIES_SHOWN = 20;

export const channelRouter = router({
  /** Channels of the teams the caller reads; only their non-secret settings. */
  list: alertingProcedure.query(({ ctx }) => listChannels(ctx.tenant, [...ctx.access.readTeamIds])),

  /**
   * Creates a channel; its secrets are sealed with VIGIL_SECRET_KEY. A webhook created without
   * a signing secret gets a generated one, returned here once and never again. A webhook or
   * Slack URL on an internal host is refused at its field (VIGIL_NOTIFICATION_ALLOW_HOSTS).
   */
  create: alertingTeamProcedure.input(ChannelCreateInputSchema).mutation(({ ctx, input }) => {
    const receivers = env().VIGIL_NOTIFICATION_ALLOW_HOSTS;
    // Checked here too (createChannel checks again) so the error names the form's field.
    assertChannelReceivers(input.channel, receivers, 'channel.');
    return createChannel(ctx.tenant, getSecretBox(), ctx.actor, ctx.team.id, input.channel, receivers);
  }),

  /** Renames, enables or disables a channel. */
  update: channelProcedure.input(ChannelUpdateInputSchema).mutation(({ ctx, input }) => {
    const { channelId, ...update } = input;
    return updateChannel(ctx.tenant, ctx.actor, ctx.teamIds, channelId, update);
  }),

  /** Deletes a channel and takes it out of its team's rules. */
  delete: channelProcedure.mutation(async ({ ctx, input }) => {
    await deleteChannel(ctx.tenant, ctx.actor, ctx.teamIds, input.channelId);
    return { channelId: input.channelId };
  }),

  /** Queues a test notification; the worker sends it within seconds (follow it with `deliveries`). */
  test: channelProcedure.mutation(({ ctx, input }) => createTestDelivery(ctx.tenant, ctx.actor, ctx.teamIds, input.channelId)),

  /** The channel's latest deliveries with every attempt: status, HTTP status, error. */
  deliveries: channelProcedure.query(({ ctx, input }) => listDeliveries(ctx.tenant, ctx.teamIds, { channelId: input.channelId, limit: DELIVERIES_SHOWN })),
});
