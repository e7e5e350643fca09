import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  requestId: string;
  correlationId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The ids of the request (or event) being handled, if any; the logger adds them to every line. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Runs `fn` with the given ids as the current context (an HTTP request, a consumed event, a CLI run). */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}
