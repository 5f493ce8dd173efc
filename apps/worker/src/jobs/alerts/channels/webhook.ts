import { createHmac } from 'node:crypto';
import type { ReceiverAllowList } from '@vigil/contracts';
import type { NotificationPayload } from '../payload.js';
import { postJson, type SendResult } from './http.js';

/**
 * The signature a webhook receiver checks: `v1=` + hex HMAC-SHA256 of `<timestamp>.<body>`
 * with the channel's signing secret. The timestamp (unix seconds, `X-Vigil-Timestamp`) is
 * signed too, so a receiver can refuse replays older than a few minutes.
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export async function sendWebhook(
  secret: { url: string; signingSecret: string },
  payload: NotificationPayload,
  delivery: { id: string; now: number },
  receivers: ReceiverAllowList,
): Promise<SendResult> {
  const body = JSON.stringify({ ...payload, deliveryId: delivery.id, sentAt: new Date(delivery.now).toISOString() });
  const timestamp = Math.floor(delivery.now / 1000);
  return postJson(secret.url, body, {
    headers: {
      'x-vigil-delivery': delivery.id,
      'x-vigil-timestamp': String(timestamp),
      'x-vigil-signature': webhookSignature(secret.signingSecret, timestamp, body),
    },
    receivers,
  });
}
