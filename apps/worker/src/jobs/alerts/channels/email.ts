import nodemailer from 'nodemailer';
import { alertLine, title, type NotificationPayload } from '../payload.js';
import { DeliveryError, type SendResult } from './http.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Subject, HTML and plain-text bodies of a notification mail. */
export function emailMessage(p: NotificationPayload): { subject: string; text: string; html: string } {
  const subject = `[Vigil] ${title(p)}`;
  const text = [title(p), '', ...p.alerts.map((a) => `- ${alertLine(a)}\n  ${a.url}`), '', `${p.workspace.name} · team ${p.team.name}`].join('\n');
  const rows = p.alerts
    .map(
      (a) =>
        `<tr><td>${escape(a.severity ?? '')}</td><td>${escape(a.rule.name)}</td><td>${escape(a.model?.slug ?? '')}</td><td>${escape(a.metric)}${a.column ? ` · ${escape(a.column)}` : ''}</td>` +
        `<td>${a.value === null ? 'no data' : escape(String(a.value))}</td><td>${escape(a.condition)}</td><td><a href="${escape(a.url)}">open</a></td></tr>`,
    )
    .join('');
  const html =
    `<!doctype html><html><body style="font-family:sans-serif"><h2>${escape(title(p))}</h2>` +
    `<table cellpadding="6" style="border-collapse:collapse"><tr><th>severity</th><th>rule</th><th>model</th><th>metric</th><th>value</th><th>alerts at</th><th></th></tr>${rows}</table>` +
    `<p style="color:#666">${escape(p.workspace.name)} · team ${escape(p.team.name)}</p></body></html>`;
  return { subject, text, html };
}

export async function sendEmail(smtpUrl: string | undefined, from: string, to: string[], payload: NotificationPayload): Promise<SendResult> {
  if (!smtpUrl) throw new DeliveryError('no SMTP server is configured (SMTP_URL)');
  const transport = nodemailer.createTransport(smtpUrl);
  try {
    const { subject, text, html } = emailMessage(payload);
    await transport.sendMail({ from, to, subject, text, html });
    return {};
  } catch (err) {
    const e = err as Error & { responseCode?: number };
    throw new DeliveryError(`SMTP: ${e.message}`, e.responseCode);
  } finally {
    transport.close();
  }
}
