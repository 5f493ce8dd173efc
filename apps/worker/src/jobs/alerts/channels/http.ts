/** The outcome of one attempt to reach a receiver. */
export interface SendResult {
  statusCode?: number;
}

/** A receiver's answer that is not a success: the delivery is retried. */
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

/** POSTs a JSON body; any answer but 2xx (or no answer within 10 s) is a DeliveryError. */
export async function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Vigil-Notifications/1', ...headers },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    throw new DeliveryError(e.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : `${e.cause?.code ?? e.name}: ${e.message}`);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw new DeliveryError(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`, res.status);
  return { statusCode: res.status };
}
