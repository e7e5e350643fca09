import { describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { startNatsServer } from '../src/nats-server.js';

describe('startNatsServer', () => {
  it('starts a JetStream-enabled server on its own port and store, and stops it', async () => {
    const server = await startNatsServer();
    expect(server.port).not.toBe(4222);
    const nc = await connect({ servers: server.url });
    expect(nc.info?.jetstream).toBe(true);
    await nc.close();
    await server.stop();
    await expect(connect({ servers: server.url, reconnect: false, timeout: 500 })).rejects.toThrow();
  });
});
