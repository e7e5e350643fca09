import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, createMetrics, type HttpServer } from '../src/index.js';
import { capturedLogger } from './capture.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(readiness: { name: string; check(): boolean | Promise<boolean> }[] = [], checkTimeoutMs?: number) {
  const { logger, lines } = capturedLogger('demo');
  const metrics = createMetrics({ service: 'demo' });
  server = createHttpServer({
    service: 'demo',
    logger,
    metrics,
    readiness,
    ...(checkTimeoutMs ? { checkTimeoutMs } : {}),
  });
  return { server, lines, metrics, logger };
}

describe('createHttpServer', () => {
  it('answers /healthz', async () => {
    const { server } = await start();
    const { url } = await server.listen(0);
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', service: 'demo' });
  });

  it('is ready only while every check passes, and says which one failed', async () => {
    let mongoUp = true;
    const { server } = await start([
      { name: 'mongodb', check: () => mongoUp },
      { name: 'nats', check: async () => true },
    ]);
    const { url } = await server.listen(0);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: [
        { name: 'mongodb', ok: true },
        { name: 'nats', ok: true },
      ],
    });

    mongoUp = false;
    const notReady = await fetch(`${url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({
      status: 'not ready',
      checks: [
        { name: 'mongodb', ok: false, error: 'check reported not ready' },
        { name: 'nats', ok: true },
      ],
    });

    mongoUp = true;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('counts a throwing check as not ready, with its message', async () => {
    const { server } = await start([{ name: 'nats', check: () => Promise.reject(new Error('connection closed')) }]);
    const { url } = await server.listen(0);
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ checks: [{ name: 'nats', ok: false, error: 'connection closed' }] });
  });

  it('counts a check that does not answer in time as not ready', async () => {
    const { server } = await start([{ name: 'mongodb', check: () => new Promise<boolean>(() => {}) }], 100);
    const { url } = await server.listen(0);
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      checks: [{ name: 'mongodb', ok: false, error: 'no answer within 100 ms' }],
    });
  });

  it('logs probes and scrapes at debug level, other requests at info', async () => {
    const { server, lines } = await start();
    server.app.get('/releases', (_req, res) => void res.json([]));
    const { url } = await server.listen(0);
    await fetch(`${url}/healthz`);
    await fetch(`${url}/releases`);
    const finished = lines.filter((l) => l.msg === 'request finished').map((l) => [l.url, l.level]);
    expect(finished).toEqual([
      ['/healthz', 'debug'],
      ['/releases', 'info'],
    ]);
  });

  it('gives each request ids, returns them, and puts them on every log line of the request', async () => {
    const { server, lines, logger } = await start();
    server.app.get('/releases/:id', async (req, res) => {
      await new Promise((r) => setTimeout(r, 5));
      logger.info({ id: req.params.id }, 'loading release');
      res.json({ id: req.params.id });
    });
    const { url } = await server.listen(0);

    const fresh = await fetch(`${url}/releases/r1`);
    const requestId = fresh.headers.get('x-request-id');
    expect(requestId).toMatch(UUID);
    expect(fresh.headers.get('x-correlation-id')).toBe(requestId);

    const traced = await fetch(`${url}/releases/r2`, {
      headers: { 'x-request-id': 'edge-42', 'x-correlation-id': 'deploy-7' },
    });
    expect(traced.headers.get('x-request-id')).toBe('edge-42');
    expect(traced.headers.get('x-correlation-id')).toBe('deploy-7');

    const forLine = (msg: string, id: string) =>
      lines.find((l) => l.msg === msg && (l.id === id || String(l.url).endsWith(id)));
    expect(forLine('loading release', 'r1')).toMatchObject({ requestId, correlationId: requestId });
    expect(forLine('request finished', 'r1')).toMatchObject({ requestId, status: 200, method: 'GET' });
    expect(forLine('loading release', 'r2')).toMatchObject({ requestId: 'edge-42', correlationId: 'deploy-7' });
    expect(forLine('request finished', 'r2')).toMatchObject({ requestId: 'edge-42', correlationId: 'deploy-7' });
  });

  it('does not take over unsafe ids from clients', async () => {
    const { server } = await start();
    const { url } = await server.listen(0);
    const res = await fetch(`${url}/healthz`, {
      headers: { 'x-request-id': 'x'.repeat(500), 'x-correlation-id': 'a b<script>' },
    });
    expect(res.headers.get('x-request-id')).toMatch(UUID);
    expect(res.headers.get('x-correlation-id')).toBe(res.headers.get('x-request-id'));
  });

  it('exposes default and HTTP metrics with route patterns and the service label', async () => {
    const { server } = await start();
    server.app.get('/releases/:id', (req, res) => void res.json({ id: req.params.id }));
    server.app.use('/graphql', (_req, res) => void res.json({ data: null }));
    const { url } = await server.listen(0);
    await fetch(`${url}/releases/a`);
    await fetch(`${url}/releases/b`);
    await fetch(`${url}/graphql?query=x`, { method: 'POST' });
    await fetch(`${url}/no/such/page`);
    const res = await fetch(`${url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('http_requests_total{method="GET",route="/releases/:id",status="200",service="demo"} 2');
    expect(text).toContain('http_requests_total{method="POST",route="/graphql",status="200",service="demo"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status="404",service="demo"} 1');
    expect(text).toMatch(
      /http_request_duration_seconds_count\{service="demo",method="GET",route="\/releases\/:id",status="200"\} 2/,
    );
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="demo"\} /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{service="demo"\} /m);
  });

  it('answers unknown routes and failing handlers with JSON errors and keeps serving', async () => {
    const { server, lines } = await start();
    server.app.get('/boom', () => {
      throw new Error('database exploded');
    });
    server.app.post('/echo', express.json({ limit: '1kb' }), (req, res) => void res.json(req.body));
    const { url } = await server.listen(0);

    const missing = await fetch(`${url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no route for GET /nope' });

    const boom = await fetch(`${url}/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.json()).toEqual({ error: 'internal server error' });
    expect(lines.find((l) => l.msg === 'request failed')).toMatchObject({
      level: 'error',
      err: { message: 'database exploded' },
    });

    const big = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ x: 'y'.repeat(5000) }),
    });
    expect(big.status).toBe(413);
    const bad = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"x":',
    });
    expect(bad.status).toBe(400);

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('lets an in-flight request finish on close and ends its keep-alive connection', async () => {
    const { server } = await start();
    let release: (() => void) | undefined;
    server.app.get('/slow', async (_req, res) => {
      await new Promise<void>((r) => (release = r));
      res.json({ finished: true });
    });
    const { url } = await server.listen(0);
    const pending = fetch(`${url}/slow`);
    for (let i = 0; i < 500 && !release; i++) await new Promise((r) => setTimeout(r, 10));
    const closed = server.close();
    release?.();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({ finished: true });
    await closed;
  });

  it('turns not ready when closing and stops accepting connections', async () => {
    const { server } = await start();
    const { url } = await server.listen(0);
    await server.close();
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});

describe('flightdeck_readiness_check_passing', () => {
  const series = (text: string) => text.split('\n').filter((l) => l.startsWith('flightdeck_readiness_check_passing{'));

  it('exports what /readyz answers, per check, at scrape time, and 0 for shutdown once the server closes', async () => {
    let natsUp = true;
    const { server } = await start([
      { name: 'mongodb', check: () => true },
      { name: 'nats', check: () => natsUp },
    ]);
    const { url } = await server.listen(0);
    const scrape = async () => series(await (await fetch(`${url}/metrics`)).text());
    expect(await scrape()).toEqual([
      'flightdeck_readiness_check_passing{check="mongodb",service="demo"} 1',
      'flightdeck_readiness_check_passing{check="nats",service="demo"} 1',
      'flightdeck_readiness_check_passing{check="shutdown",service="demo"} 1',
    ]);
    natsUp = false;
    expect(await scrape()).toContain('flightdeck_readiness_check_passing{check="nats",service="demo"} 0');
  });

  it('says shutdown 0 while the server drains', async () => {
    const { server, metrics } = await start([{ name: 'mongodb', check: () => true }]);
    await server.listen(0);
    await server.close();
    expect(series(await metrics.registry.metrics())).toContain(
      'flightdeck_readiness_check_passing{check="shutdown",service="demo"} 0',
    );
  });
});
