import { alertLine, type NotificationPayload } from '../payload.js';
import { postJson, type SendResult } from './http.js';

/**
 * PagerDuty Events API v2: one event per alert, `trigger` while firing and `resolve` when it
 * resolves, with the alert's fingerprint as dedup key (so repeats and retries never open a
 * second incident). A test sends a trigger and its resolve.
 */
export function pagerDutyEvents(routingKey: string, p: NotificationPayload): Record<string, unknown>[] {
  return p.alerts.flatMap((a) => {
    const dedupKey = p.kind === 'test' ? `vigil-test-${p.workspace.id}` : a.fingerprint;
    const trigger = {
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: dedupKey,
      payload: {
        summary: alertLine(a).slice(0, 1024),
        source: a.model?.slug ?? p.workspace.slug,
        severity: a.severity === 'critical' ? 'critical' : 'warning',
        component: a.column || undefined,
        group: a.project?.slug,
        class: a.metric,
        custom_details: { rule: a.rule.name, value: a.value, condition: a.condition, version: a.version, segment: a.segment, team: p.team.name },
      },
      links: [{ href: a.url, text: 'Open in Vigil' }],
      client: 'Vigil',
    };
    const resolve = { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
    if (p.kind === 'test') return [trigger, resolve];
    return [p.status === 'resolved' ? resolve : trigger];
  });
}

export async function sendPagerDuty(secret: { routingKey: string }, payload: NotificationPayload, eventsUrl: string): Promise<SendResult> {
  let last: SendResult = {};
  for (const event of pagerDutyEvents(secret.routingKey, payload)) last = await postJson(eventsUrl, JSON.stringify(event));
  return last;
}
