import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { runWithContext } from './context.js';
import type { ServiceMetrics } from './metrics.js';
import { requestContextOf } from './request-ids.js';

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** The route pattern, not the raw URL, so metric label values stay few. */
function routeLabel(req: Request, status: number): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  const mounted = (req as Request & { flightdeckMount?: string }).flightdeckMount;
  if (mounted) return mounted;
  if (status === 404) return 'unmatched';
  // A handler mounted with app.use('/graphql', ...): its first path segment names it.
  const first = req.originalUrl.split('?')[0]?.split('/')[1];
  return first ? `/${first.slice(0, 40)}` : '/';
}

/** Remembers the mount path of a handler mounted with app.use (req.route is only set for app.get & co). */
export function markMount(path: string): RequestHandler {
  return (req, _res, next) => {
    (req as Request & { flightdeckMount?: string }).flightdeckMount = path;
    next();
  };
}

/** One access-log line and one metrics observation per finished request. */
export function accessLog(logger: Logger, metrics: ServiceMetrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const labels = { method: req.method, route: routeLabel(req, res.statusCode), status: String(res.statusCode) };
      metrics.httpRequestsTotal.inc(labels);
      metrics.httpRequestDuration.observe(labels, seconds);
      // Probes and scrapes come every few seconds: successful ones are debug lines.
      const quiet = PROBES.has(req.path) && res.statusCode < 400;
      const line = () =>
        logger[quiet ? 'debug' : 'info'](
          {
            method: req.method,
            url: req.originalUrl,
            status: res.statusCode,
            durationMs: Math.round(seconds * 1e4) / 10,
          },
          'request finished',
        );
      // 'finish' may fire outside the request's async context; restore it so the ids are on the line.
      const ctx = requestContextOf(res);
      if (ctx) runWithContext(ctx, line);
      else line();
    });
    next();
  };
}
