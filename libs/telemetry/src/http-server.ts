import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Logger } from 'pino';
import { accessLog } from './access-log.js';
import type { ServiceMetrics } from './metrics.js';
import { readyzHandler, type ReadinessCheck } from './readiness.js';
import { registerReadinessMetric } from './readiness-metrics.js';
import { requestIds } from './request-ids.js';

export interface HttpServerOptions {
  service: string;
  logger: Logger;
  metrics: ServiceMetrics;
  readiness: ReadinessCheck[];
  /** A check that has not answered within this time counts as failed (default 2000 ms). */
  checkTimeoutMs?: number;
}

export interface HttpServer {
  /** Mount more routes on this app before listen(). */
  app: Express;
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops intake: /readyz turns 503, no new connections, waits for in-flight requests. */
  close(): Promise<void>;
}

/** Status of an error thrown by middleware (body parsers set `status`), else 500. */
function statusOf(err: unknown): number {
  const s =
    (err as { status?: unknown; statusCode?: unknown } | undefined)?.status ??
    (err as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' && s >= 400 && s < 600 ? s : 500;
}

/**
 * An express 5 app with request/correlation ids, access log, HTTP metrics, /healthz, /readyz and /metrics.
 * A JSON 404 and an error handler are added at listen(), after the routes the service mounted.
 */
export function createHttpServer(opts: HttpServerOptions): HttpServer {
  const { logger, metrics } = opts;
  const app = express();
  let draining = false;
  app.disable('x-powered-by');
  // Requests in flight, so close() can end their keep-alive connections as soon as each one is answered.
  const inFlight = new Set<ServerResponse>();
  app.use((_req, res, next) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    if (draining) res.setHeader('connection', 'close');
    next();
  });
  app.use(requestIds());
  app.use(accessLog(logger, metrics));

  const started = Date.now();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: opts.service, uptimeSeconds: Math.round((Date.now() - started) / 1000) });
  });
  app.get(
    '/readyz',
    readyzHandler(opts.readiness, () => draining, opts.checkTimeoutMs),
  );
  registerReadinessMetric(metrics.registry, opts.readiness, () => draining, opts.checkTimeoutMs);
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  let server: Server | undefined;

  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const status = statusOf(err);
    const message = err instanceof Error ? err.message : String(err);
    if (status >= 500) logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    else logger.warn({ method: req.method, url: req.originalUrl, status, error: message }, 'request rejected');
    if (res.headersSent) return;
    res.status(status).json({ error: status >= 500 ? 'internal server error' : message });
  };

  return {
    app,
    listen(port, host = '127.0.0.1') {
      if (server) return Promise.reject(new Error(`${opts.service}: listen() was already called`));
      app.use((req, res) => {
        res.status(404).json({ error: `no route for ${req.method} ${req.path}` });
      });
      app.use(onError);
      const s = createServer(app);
      server = s;
      return new Promise((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, () => {
          s.off('error', reject);
          const actual = (s.address() as AddressInfo).port;
          const shownHost = host.includes(':') ? `[${host}]` : host;
          const url = `http://${shownHost}:${actual}`;
          logger.info({ url }, `${opts.service} listening`);
          resolve({ url, port: actual });
        });
      });
    },
    close() {
      draining = true;
      const s = server;
      if (!s || !s.listening) return Promise.resolve();
      for (const res of inFlight) {
        if (!res.headersSent) res.setHeader('connection', 'close');
        else res.once('finish', () => setImmediate(() => s.closeIdleConnections()));
      }
      return new Promise((resolve, reject) => {
        s.close((err) => (err ? reject(err) : resolve()));
        s.closeIdleConnections();
      });
    },
  };
}
