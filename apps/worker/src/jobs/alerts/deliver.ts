import { openChannelSecret, type Db, type SecretBox } from '@vigil/db';
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
}

export interface DeliveryOutcome {
  status: 'delivered' | 'failed' | 'skipped';
  reason?: string;
}

interface DeliveryRow {
  id: string;
  organization_id: string;
  team_id: string | null;
  status: string;
  kind: string;
  payload: NotificationPayload;
  channel_type: string | null;
  channel_enabled: boolean | null;
  channel_config: { to?: string[] } | null;
  secret_encrypted: string | null;
  team_name: string | null;
  org_name: string;
  org_slug: string;
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
  const { rows } = await db.pool.query<DeliveryRow>(
    `SELECT d.id, d.organization_id, d.team_id, d.status, d.kind, d.payload, c.type AS channel_type, c.enabled AS channel_enabled,
            c.config AS channel_config, c.secret_encrypted, t.name AS team_name, o.name AS org_name, o.slug AS org_slug
     FROM notification_deliveries d
     JOIN organizations o ON o.id = d.organization_id
     LEFT JOIN notification_channels c ON c.id = d.channel_id
     LEFT JOIN teams t ON t.id = c.team_id
     WHERE d.organization_id = $1 AND d.id = $2`,
    [organizationId, deliveryId],
  );
  const d = rows[0];
  if (!d) return { status: 'skipped', reason: 'delivery not found' };
  if (d.status !== 'pending') return { status: 'skipped', reason: `already ${d.status}` };
  if (!d.channel_type || !d.channel_enabled) {
    await finish(db, d, 'failed', 'the channel is disabled or was deleted');
    return { status: 'failed', reason: 'channel disabled' };
  }
  const payload =
    d.kind === 'test'
      ? testPayload({ workspace: { id: d.organization_id, name: d.org_name, slug: d.org_slug }, team: { id: d.team_id ?? '', name: d.team_name ?? '' }, webUrl: settings.webUrl })
      : d.payload;
  const started = performance.now();
  let result: SendResult = {};
  let error: DeliveryError | null = null;
  try {
    result = await send(d, payload, settings, now);
  } catch (err) {
    error = err instanceof DeliveryError ? err : new DeliveryError((err as Error).message);
  }
  const durationMs = Math.round(performance.now() - started);
  await db.pool.query(
    `INSERT INTO notification_attempts (organization_id, delivery_id, attempt, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)`,
    [d.organization_id, d.id, attempt.number, error ? (error.statusCode ?? null) : (result.statusCode ?? null), error?.message ?? null, durationMs],
  );
  if (!error) {
    await finish(db, d, 'delivered', null, now);
    return { status: 'delivered' };
  }
  if (attempt.final) {
    await finish(db, d, 'failed', error.message);
    return { status: 'failed', reason: error.message };
  }
  await db.pool.query(`UPDATE notification_deliveries SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [d.id, error.message]);
  throw error;
}

async function finish(db: Db, d: DeliveryRow, status: 'delivered' | 'failed', error: string | null, now = Date.now()): Promise<void> {
  await db.pool.query(
    `UPDATE notification_deliveries SET status = $2, attempts = attempts + 1, last_error = $3, delivered_at = $4 WHERE id = $1`,
    [d.id, status, error, status === 'delivered' ? new Date(now) : null],
  );
}

function send(d: DeliveryRow, payload: NotificationPayload, s: DeliverySettings, now: number): Promise<SendResult> {
  const secret = openChannelSecret(s.box, d.secret_encrypted);
  switch (secret.type) {
    case 'webhook':
      return sendWebhook(secret, payload, { id: d.id, now });
    case 'slack':
      return sendSlack(secret, payload);
    case 'pagerduty':
      return sendPagerDuty(secret, payload, s.pagerDutyEventsUrl);
    case 'email':
      return sendEmail(s.smtpUrl, s.smtpFrom, d.channel_config?.to ?? [], payload);
  }
}
