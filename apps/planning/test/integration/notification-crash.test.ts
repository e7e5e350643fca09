// Brings in the typing of inject() provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mintToken } from '@flightdeck/auth';
import { gateEvaluationCompleted, JetStreamBus } from '@flightdeck/events';
import { DELIVERY_HEADER } from '@flightdeck/notify';
import {
  databaseUri,
  DEADLINES,
  eventually,
  freePort,
  gql,
  startProcess,
  type RunningProcess,
} from '@flightdeck/testing';
import { createRelease } from './stack.js';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const SECRET = 'planning-notify-crash-secret-0123456789';
/** Short, so that the delivery the killed process held is taken again soon: after 2 × this + 5 s. */
const TIMEOUT_MS = 2_000;

/**
 * A webhook receiver whose first request is held without an answer (the sender is killed meanwhile), and which
 * answers every later one 200, keeping it.
 */
function startHoldingReceiver() {
  const answered: { delivery: string; body: string }[] = [];
  const held: IncomingMessage[] = [];
  let arrived: () => void = () => {};
  const firstArrived = new Promise<void>((resolve) => (arrived = resolve));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (held.length === 0) {
        held.push(req);
        arrived();
        return; // never answered
      }
      answered.push({ delivery: String(req.headers[DELIVERY_HEADER]), body: Buffer.concat(chunks).toString() });
      res.writeHead(200).end('ok');
    });
  });
  return new Promise<{
    url: string;
    answered: typeof answered;
    held: typeof held;
    firstArrived: Promise<void>;
    stop(): Promise<void>;
  }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        answered,
        held,
        firstArrived,
        stop: () => new Promise<void>((done) => server.close(() => done()) && server.closeAllConnections()),
      }),
    ),
  );
}

// main.ts runs in fresh Node processes with tsx: generous timeouts for busy machines.
describe('a planning process killed (SIGKILL) while it sends a notification', { timeout: 180_000 }, () => {
  let receiver: Awaited<ReturnType<typeof startHoldingReceiver>>;
  let bus: JetStreamBus;
  const procs: RunningProcess[] = [];
  let env: Record<string, string>;
  let graphqlUrl: string;

  beforeAll(async () => {
    receiver = await startHoldingReceiver();
    bus = await JetStreamBus.connect({ servers: inject('natsUrl'), name: 'planning-notify-crash-test' });
    const port = await freePort();
    graphqlUrl = `http://127.0.0.1:${port}/graphql`;
    env = {
      ...(Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !/^(AUTH_|AI_|NOTIFY_|GITHUB_|GITLAB_)/.test(k)),
      ) as Record<string, string>),
      PORT: String(port),
      MONGODB_URI: databaseUri(inject('mongoUri'), 'planning-notify-crash'),
      NATS_URL: inject('natsUrl'),
      AUTH_JWT_SECRET: SECRET,
      PLANNING_CONSUMER: `notify-crash-${randomUUID().slice(0, 8)}`,
      NOTIFY_TIMEOUT_MS: String(TIMEOUT_MS),
      LOG_LEVEL: 'info',
    };
  });

  afterAll(async () => {
    for (const p of procs) await p.stop('SIGKILL').catch(() => {});
    await bus?.close();
    await receiver?.stop();
  });

  const launch = async () => {
    const proc = await startProcess(process.execPath, ['--import', 'tsx', main], {
      name: 'planning',
      env,
      isReady: (out) => out.includes('planning serving GraphQL'),
      timeoutMs: 90_000,
    });
    procs.push(proc);
    return proc;
  };

  it('delivers it once after the restart, with the same delivery id, and logs it SENT', async () => {
    const first = await launch();
    const token = await mintToken({ secret: SECRET, subject: 'rita', roles: ['RELEASE_MANAGER'] });
    const call = async <T>(query: string, variables: Record<string, unknown>) => {
      const r = await gql<T>(graphqlUrl, query, variables, token);
      expect(r.errors).toBeUndefined();
      return r.data!;
    };
    const product = `crash-${randomUUID().slice(0, 6)}`;
    await call('mutation($i: SubscribeInput!) { subscribe(input: $i) { id } }', {
      i: {
        product,
        audience: 'QA',
        channel: { kind: 'WEBHOOK', url: `${receiver.url}/hook`, secret: 'crash-test-shared-secret' },
      },
    });
    const releaseId = await createRelease(graphqlUrl, token, { product, version: '1.0.0', theme: 'crash' });
    await bus.publish(
      gateEvaluationCompleted.create({
        source: 'flightdeck/gates',
        data: {
          releaseId,
          evaluationId: 'beta-1',
          gate: 'BETA',
          outcome: 'FAIL',
          evaluatedAt: new Date().toISOString(),
        },
      }),
    );

    // The request is in flight, unanswered: the process dies before it could record anything about it.
    await receiver.firstArrived;
    await first.stop('SIGKILL');
    const heldDelivery = String(receiver.held[0]!.headers[DELIVERY_HEADER]);
    expect(receiver.answered).toEqual([]);

    await launch();
    const query = 'query($r: String!) { notificationDeliveries(release: $r) { id status attempts lastError } }';
    const sent = await eventually(
      'the delivery to be sent again after the restart',
      async () => {
        const r = await gql<{ notificationDeliveries: { id: string; status: string; attempts: number }[] }>(
          graphqlUrl,
          query,
          { r: `${product}@1.0.0` },
          token,
        );
        const d = r.data?.notificationDeliveries;
        return d?.length === 1 && d[0]!.status === 'SENT' ? d[0] : undefined;
      },
      DEADLINES.stack + 2 * TIMEOUT_MS + 5_000,
    );
    expect(sent.id).toBe(heldDelivery);
    expect(receiver.answered.map((a) => a.delivery)).toEqual([heldDelivery]);
    expect(JSON.parse(receiver.answered[0]!.body)).toMatchObject({ id: heldDelivery, event: 'gate.failed' });
  });
});
