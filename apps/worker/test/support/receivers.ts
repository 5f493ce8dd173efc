import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status this receiver answered. */
  status: number;
}

/** Answers a request to one path in a test's own way (hang, stream, answer with a body). */
export type ReceiverRoute = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/**
 * A local HTTP receiver for webhook, Slack and PagerDuty deliveries: records every request by
 * path and answers 200, or 500 for the next `failNext(path, n)` requests to that path, or as
 * `route(path, …)` says.
 */
export class HttpReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly failures = new Map<string, number>();
  private readonly routes = new Map<string, ReceiverRoute>();
  private server!: Server;
  url = '';
  /** The same receiver by name (`localhost`), for deliveries an allow-list lets through by name. */
  nameUrl = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const path = req.url ?? '/';
        const route = this.routes.get(path);
        if (route) {
          this.requests.push({ path, headers: req.headers, body, status: 0 });
          route(req, res, body);
          return;
        }
        const left = this.failures.get(path) ?? 0;
        const status = left > 0 ? 500 : 200;
        if (left > 0) this.failures.set(path, left - 1);
        this.requests.push({ path, headers: req.headers, body, status });
        res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '{"status":"success"}' : '{"error":"try later"}');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.nameUrl = `http://localhost:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  route(path: string, handler: ReceiverRoute): void {
    this.routes.set(path, handler);
  }

  failNext(path: string, times: number): void {
    this.failures.set(path, times);
  }

  /** Requests to `path` that were answered 200. */
  ok(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path && r.status === 200);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

export { SmtpReceiver, type ReceivedMail } from '@vigil/testing/smtp';

/** The decoded Subject header of a raw message (RFC 2047 encoded words, folded lines). */
export function subjectOf(raw: string): string {
  const header = /^Subject: (.*(?:\r?\n[ \t].*)*)/im.exec(raw)?.[1] ?? '';
  return header
    .replace(/\r?\n[ \t]/g, ' ')
    .replace(/=\?utf-8\?([qb])\?(.*?)\?=\s*/gi, (_, enc: string, text: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_m: string, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    )
    .trim();
}
