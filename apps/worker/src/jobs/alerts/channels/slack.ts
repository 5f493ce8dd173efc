import { alertLine, title, type NotificationPayload } from '../payload.js';
import { postJson, type SendResult } from './http.js';

const ICON: Record<string, string> = { critical: ':red_circle:', warning: ':large_orange_circle:' };

/** A Slack incoming-webhook message: a title, one line per alert with a link, readable as plain text too. */
export function slackMessage(p: NotificationPayload): { text: string; blocks: unknown[] } {
  const head = title(p);
  const lines = p.alerts.map((a) => {
    const icon = p.status === 'resolved' ? ':white_check_mark:' : (ICON[a.severity ?? ''] ?? ':bell:');
    return `${icon} ${alertLine(a)} <${a.url}|open>`;
  });
  return {
    text: [head, ...p.alerts.map(alertLine)].join('\n'),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: head.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${p.workspace.name} · team ${p.team.name}` }] },
    ],
  };
}

export function sendSlack(secret: { webhookUrl: string }, payload: NotificationPayload): Promise<SendResult> {
  return postJson(secret.webhookUrl, JSON.stringify(slackMessage(payload)));
}
