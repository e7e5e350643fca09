import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { runWithContext, type RequestContext } from './context.js';

export const REQUEST_ID_HEADER = 'x-request-id';
export const CORRELATION_ID_HEADER = 'x-correlation-id';

// Ids from clients are echoed into logs and headers, so only short, plain tokens are taken over.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function incoming(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v !== undefined && SAFE_ID.test(v) ? v : undefined;
}

/**
 * Gives every request a request id (the client's x-request-id when it sent a usable one) and a correlation id
 * (the client's x-correlation-id, else the request id), returns both as response headers and runs the rest of
 * the chain inside that context so every log line carries them.
 */
export function requestIds(): RequestHandler {
  return (req, res, next) => {
    const requestId = incoming(req.headers[REQUEST_ID_HEADER]) ?? randomUUID();
    const correlationId = incoming(req.headers[CORRELATION_ID_HEADER]) ?? requestId;
    const context: RequestContext = { requestId, correlationId };
    res.locals.requestContext = context;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.setHeader(CORRELATION_ID_HEADER, correlationId);
    runWithContext(context, () => next());
  };
}

/** The ids requestIds() gave this request. */
export function requestContextOf(res: { locals: Record<string, unknown> }): RequestContext | undefined {
  return res.locals.requestContext as RequestContext | undefined;
}
