import { DeliveryError } from './delivery-error.js';

export interface PostOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
}

/** The status codes worth another try: the receiver was busy or broken, not refusing the message. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** POSTs a body and returns the response text; anything but a 2xx becomes a DeliveryError saying what the receiver answered. */
export async function post(name: string, url: string, body: string, options: PostOptions): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'flightdeck-notify', ...options.headers },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    const cause =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw new DeliveryError(
      timedOut ? `${name} did not answer within ${options.timeoutMs} ms` : `could not reach ${name}: ${cause}`,
      true,
      undefined,
      { cause: error },
    );
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return text;
  const excerpt = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  throw new DeliveryError(
    `${name} answered HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`,
    retryableStatus(response.status),
    retryAfter(response.headers.get('retry-after')),
  );
}
