/**
 * Outgoing mail. There is no SMTP transport yet: messages are written to the server log as one
 * line each, so an operator (and the browser tests) can pick up reset links from the output.
 */
export interface Mail {
  to: string;
  subject: string;
  link: string;
}

export function sendMail(mail: Mail): void {
  console.info(`[mail] to=${mail.to} subject="${mail.subject}" link=${mail.link}`);
}
