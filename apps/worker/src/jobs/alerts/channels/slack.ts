import type { ReceiverAllowList } from '@vigil/contracts';
import { alertLine, title, type NotificationPayload } from '../payload.js';
import { postJson, type SendResult } from './http.js';

const ICON: Record<string, string> = { critical: ':red_circle:', warning: ':large_orange_circle:' };

/**
 * Slack's escaping of text that is not markup (https://api.slack.com/reference/surfaces/formatting#escaping):
 * `&`, `<` and `>` become entities, so a rule, column, segment, team or workspace name cannot
 * open a link (`<https://…|…>`) or a mention (`<!channel>`, `<@U…>`) of its own.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A Slack incoming-webhook message: a title, one line per alert with a link, readable as plain
 * text too. Every name in it is escaped; only our own link is markup.
 */
export function slackMessage(p: NotificationPayload): { text: string; blocks: unknown[] } {
  const head = title(p);
  const lines = p.alerts.map((a) => {
    const icon = p.status === 'resolved' ? ':white_check_mark:' : (ICON[a.severity ?? ''] ?? ':bell:');
    return `${icon} ${escapeMrkdwn(alertLine(a))} <${a.url}|open>`;
  });
  return {
    // The notification's text is mrkdwn too; the header block is plain_text (shown as typed).
    text: [head, ...p.alerts.map(alertLine)].map(escapeMrkdwn).join('\n'),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: head.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${escapeMrkdwn(p.workspace.name)} · team ${escapeMrkdwn(p.team.name)}` }] },
    ],
  };
}

export function sendSlack(secret: { webhookUrl: string }, payload: NotificationPayload, receivers: ReceiverAllowList): Promise<SendResult> {
  return postJson(secret.webhookUrl, JSON.stringify(slackMessage(payload)), { receivers });
}
