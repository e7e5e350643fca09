import type { ResolvedSubscribeOptions, SubscribeOptions, UnavailableCheck } from './bus.js';
import { assertDurableName, assertFilter } from './subjects.js';

function positiveInt(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new Error(`subscribe: ${name} must be an integer from 1 to ${max}, got ${value}`);
  return value;
}

/** Applies the defaults and rejects settings that could not work, saying what would; `isUnavailable` is the bus's. */
export function resolveSubscribeOptions(
  o: SubscribeOptions,
  isUnavailable?: UnavailableCheck,
): ResolvedSubscribeOptions {
  assertDurableName(o.durable);
  const filters = Array.isArray(o.filter) ? [...o.filter] : [o.filter];
  if (filters.length === 0)
    throw new Error('subscribe: filter must name at least one subject, e.g. flightdeck.planning.>');
  filters.forEach(assertFilter);
  if (typeof o.handler !== 'function')
    throw new Error('subscribe: handler must be a function (event, ctx) => Promise<void>');
  const r: ResolvedSubscribeOptions = {
    durable: o.durable,
    filters,
    handler: o.handler,
    concurrency: positiveInt('concurrency', o.concurrency ?? 1, 1000),
    maxDeliver: positiveInt('maxDeliver', o.maxDeliver ?? 5, 1000),
    ackWaitMs: positiveInt('ackWaitMs', o.ackWaitMs ?? 30_000),
    handlerTimeoutMs: positiveInt('handlerTimeoutMs', o.handlerTimeoutMs ?? 10_000),
    retryDelayMs: positiveInt('retryDelayMs', o.retryDelayMs ?? 500),
    ...(o.onDeadLettered ? { onDeadLettered: o.onDeadLettered } : {}),
    ...(isUnavailable ? { isUnavailable } : {}),
  };
  if (r.handlerTimeoutMs >= r.ackWaitMs) {
    throw new Error(
      `subscribe ${o.durable}: handlerTimeoutMs (${r.handlerTimeoutMs}) must be below ackWaitMs (${r.ackWaitMs}), or the server redelivers while the handler still runs`,
    );
  }
  return r;
}

export function retryDelay(base: number, deliveryCount: number): number {
  return Math.min(base * 2 ** Math.max(0, deliveryCount - 1), 30_000);
}
