import nodemailer, { type Transporter } from 'nodemailer';
import { env, type WebEnv } from '~/env';

/**
 * Outgoing mail (password resets) through the SMTP server of VIGIL_SMTP_URL. Without it, no
 * mail is sent and features that need it are disabled. Nothing here writes a message, a link or
 * a recipient to the log: a reset link is as good as the password.
 */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export function mailEnabled(e: WebEnv = env()): boolean {
  return Boolean(e.VIGIL_SMTP_URL);
}

export function mailFrom(e: WebEnv = env()): string {
  return e.VIGIL_MAIL_FROM ?? `Vigil <no-reply@${new URL(e.WEB_URL).hostname}>`;
}

const globalForMail = globalThis as unknown as { vigilMail?: { url: string; transport: Transporter } };

function transport(url: string): Transporter {
  if (globalForMail.vigilMail?.url !== url) {
    globalForMail.vigilMail?.transport.close();
    globalForMail.vigilMail = { url, transport: nodemailer.createTransport(url) };
  }
  return globalForMail.vigilMail.transport;
}

export class MailNotConfiguredError extends Error {
  constructor() {
    super('no mail server is configured (VIGIL_SMTP_URL)');
  }
}

/** Sends one message; rejects with the SMTP error (which never contains the message body). */
export async function sendMail(mail: Mail): Promise<void> {
  const e = env();
  if (!e.VIGIL_SMTP_URL) throw new MailNotConfiguredError();
  await transport(e.VIGIL_SMTP_URL).sendMail({ from: mailFrom(e), ...mail });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The password-reset message for `link` (valid for `validMinutes`). */
export function passwordResetMail(to: string, link: string, validMinutes: number): Mail {
  return {
    to,
    subject: 'Reset your Vigil password',
    text: `Someone asked to reset the password of your Vigil account.\n\nChoose a new password here (valid for ${validMinutes} minutes, once):\n${link}\n\nIf it was not you, ignore this message: your password stays as it is.\n`,
    html:
      `<!doctype html><html><body style="font-family:sans-serif"><p>Someone asked to reset the password of your Vigil account.</p>` +
      `<p><a href="${escapeHtml(link)}">Choose a new password</a> (valid for ${validMinutes} minutes, once).</p>` +
      `<p style="color:#666">If it was not you, ignore this message: your password stays as it is.</p></body></html>`,
  };
}
