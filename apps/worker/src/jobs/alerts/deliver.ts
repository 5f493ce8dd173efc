import type { ReceiverAllowList } from '@vigil/contracts';
import { deliveryToSend, finishDelivery, openChannelSecret, recordDeliveryAttempt, recordDeliveryRetry, type Db, type DeliveryToSend, type SecretBox } from '@vigil/db';
import { sendEmail } from './channels/email.js';
import { DeliveryError, type SendResult } from './channels/http.js';
import { sendPagerDuty } from './channels/pagerduty.js';
import { sendSlack } from './channels/slack.js';
import { sendWebhook } from './channels/webhook.js';
import { testPayload, type NotificationPayload } from './payload.js';

export interface DeliverySettings {
  box: SecretBox;
  webUrl: string;
  smtpUrl: string | undefined;
  smtpFrom: string;
  pagerDutyEventsUrl: string;
  /** The operator's exceptions to "public receivers only" (VIGIL_NOTIFICATION_ALLOW_HOSTS). */
  receivers: ReceiverAllowList;
}

export interface DeliveryOutcome {
  status: 'delivered' | 'failed' | 'skipped';
  reason?: string;
}

/**
 * Sends one delivery on its channel and logs the attempt. A receiver that fails makes this
 * throw, so the queue retries with backoff; on the last attempt the delivery is marked failed
 * instead. A delivery already delivered (a retried job) is not sent again.
 */
export async function deliver(
  db: Db,
  settings: DeliverySettings,
  organizationId: string,
  deliveryId: string,
  attempt: { number: number; final: boolean },
  now = Date.now(),
): Promise<DeliveryOutcome> {
  const d = await deliveryToSend(db.pool, organizationId, deliveryId);
  if (!d) return { status: 'skipped', reason: 'delivery not found' };
  if (d.status !== 'pending') return { status: 'skipped', reason: `already ${d.status}` };
  if (!d.channel || !d.channel.enabled) {
    await finishDelivery(db.pool, d.organizationId, d.id, { status: 'failed', error: 'the channel is disabled or was deleted' });
    return { status: 'failed', reason: 'channel disabled' };
  }
  const payload =
    d.kind === 'test'
      ? testPayload({ workspace: d.workspace, team: { id: d.teamId ?? '', name: d.teamName ?? '' }, webUrl: settings.webUrl })
      : (d.payload as NotificationPayload);
  const started = performance.now();
  let result: SendResult = {};
  let error: DeliveryError | null = null;
  try {
    result = await send(d, d.channel, payload, settings, now);
  } catch (err) {
    error = err instanceof DeliveryError ? err : new DeliveryError((err as Error).message);
  }
  await recordDeliveryAttempt(db.pool, {
    organizationId: d.organizationId,
    deliveryId: d.id,
    attempt: attempt.number,
    statusCode: error ? (error.statusCode ?? null) : (result.statusCode ?? null),
    error: error?.message ?? null,
    durationMs: Math.round(performance.now() - started),
  });
  if (!error) {
    await finishDelivery(db.pool, d.organizationId, d.id, { status: 'delivered', at: new Date(now) });
    return { status: 'delivered' };
  }
  if (attempt.final) {
    await finishDelivery(db.pool, d.organizationId, d.id, { status: 'failed', error: error.message });
    return { status: 'failed', reason: error.message };
  }
  await recordDeliveryRetry(db.pool, d.organizationId, d.id, error.message);
  throw error;
}

function send(d: DeliveryToSend, channel: NonNullable<DeliveryToSend['channel']>, payload: NotificationPayload, s: DeliverySettings, now: number): Promise<SendResult> {
  const secret = openChannelSecret(s.box, channel);
  switch (secret.type) {
    case 'webhook':
      return sendWebhook(secret, payload, { id: d.id, now }, s.receivers);
    case 'slack':
      return sendSlack(secret, payload, s.receivers);
    case 'pagerduty':
      return sendPagerDuty(secret, payload, s.pagerDutyEventsUrl);
    case 'email':
      return sendEmail(s.smtpUrl, s.smtpFrom, channel.config?.to ?? [], payload);
  }
}
