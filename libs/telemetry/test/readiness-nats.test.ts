import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '@flightdeck/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, createMetrics, type HttpServer } from '../src/index.js';
import { capturedLogger } from './capture.js';

/** Connected-state tracking as a service does it: NATS status events drive the readiness check. */
function trackConnected(nc: NatsConnection): () => boolean {
  let connected = true;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') connected = false;
      if (s.type === 'reconnect') connected = true;
    }
  })();
  return () => connected && !nc.isClosed();
}

async function statusUntil(url: string, wanted: number): Promise<number> {
  let last = 0;
  for (let i = 0; i < 200 && last !== wanted; i++) {
    last = (await fetch(`${url}/readyz`)).status;
    if (last !== wanted) await new Promise((r) => setTimeout(r, 50));
  }
  return last;
}

describe('/readyz against a real nats-server', () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let http: HttpServer;
  let url: string;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
    const { logger } = capturedLogger('readiness');
    http = createHttpServer({
      service: 'readiness',
      logger,
      metrics: createMetrics({ service: 'readiness' }),
      readiness: [{ name: 'nats', check: trackConnected(nc) }],
    });
    ({ url } = await http.listen(0));
  });

  afterAll(async () => {
    await http?.close();
    await nc?.close();
    await nats?.stop();
  });

  it('is ready while NATS is connected, not ready while it is down, and ready again after it returns', async () => {
    expect(await statusUntil(url, 200)).toBe(200);
    await nats.stop({ keepStore: true });
    expect(await statusUntil(url, 503)).toBe(503);
    const body = await (await fetch(`${url}/readyz`)).json();
    expect(body).toEqual({
      status: 'not ready',
      checks: [{ name: 'nats', ok: false, error: 'check reported not ready' }],
    });
    await nats.restart();
    expect(await statusUntil(url, 200)).toBe(200);
  });
});
