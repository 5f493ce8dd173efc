import { receiverUrlRefusal, type ReceiverAllowList } from '@vigil/contracts';
import { Agent, fetch } from 'undici';
import { ADDRESS_NOT_ALLOWED, guardedAgent } from './guarded-dispatcher.js';

/** The outcome of one attempt to reach a receiver. */
export interface SendResult {
  statusCode?: number;
}

/**
 * A receiver's answer that is not a success: the delivery is retried. Its message is stored and
 * shown to the workspace, so it is always Vigil's own words (never the receiver's body).
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

const TIMEOUT_MS = 10_000;

/** Endpoints the operator configured (PagerDuty's events URL): not user-chosen, not guarded. */
const operatorAgent = new Agent();

export interface PostOptions {
  headers?: Record<string, string>;
  /**
   * Set for URLs a workspace member chose (webhook, Slack): the host and every address it
   * resolves to must be public, or allowed by the operator's list.
   */
  receivers?: ReceiverAllowList;
}

/**
 * POSTs a JSON body; any answer but 2xx, a redirect, or no answer within 10 s is a
 * DeliveryError. The receiver's body is never read: only its status counts, and a receiver
 * must not make the worker buffer (or wait for) whatever it sends back.
 */
export async function postJson(url: string, body: string, opts: PostOptions = {}): Promise<SendResult> {
  if (opts.receivers && receiverUrlRefusal(url, opts.receivers)) throw new DeliveryError('address not allowed');
  let res: Awaited<ReturnType<typeof fetch>>;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Vigil-Notifications/1', ...opts.headers },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      dispatcher: opts.receivers ? guardedAgent(opts.receivers) : operatorAgent,
    });
  } catch (err) {
    throw new DeliveryError(failureReason(err));
  }
  await res.body?.cancel().catch(() => {});
  if (!res.ok) throw new DeliveryError(`receiver answered ${res.status}`, res.status);
  return { statusCode: res.status };
}

/** A short reason of our own for a request that got no answer. */
export function failureReason(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `timed out (no answer within ${TIMEOUT_MS / 1000} s)`;
  const code = e.cause?.code ?? '';
  if (code === ADDRESS_NOT_ALLOWED) return 'address not allowed';
  if (/redirect/i.test(e.cause?.message ?? '')) return 'receiver answered with a redirect (not followed)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return 'host name not found';
  if (/CERT|TLS|SSL/.test(code)) return 'TLS handshake failed';
  return 'could not connect';
}
