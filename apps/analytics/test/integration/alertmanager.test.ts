import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, freePort, gql, requireBinary, type RunningProcess, startProcess } from '@flightdeck/testing';
import { Story } from '../domain/history-builder.js';
import { startStack, WEBHOOK_TOKEN, type Stack } from './stack.js';
import { ALERTMANAGER_WEBHOOK_PATH } from '@flightdeck/subgraph';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = Record<string, any>;

let stack: Stack;
let alertmanager: RunningProcess;
let amUrl: string;
let dir: string;
let viewer: string;
const now = Date.now();
const at = (offsetMinutes: number) => new Date(now + offsetMinutes * 60_000).toISOString();

/** A real Alertmanager (the Debian prometheus-alertmanager package) whose webhook receiver is analytics, with the bearer token. */
async function startAlertmanager(webhookUrl: string): Promise<void> {
  const binary = requireBinary('prometheus-alertmanager');
  dir = await mkdtemp(join(tmpdir(), 'alertmanager-'));
  const port = await freePort();
  amUrl = `http://127.0.0.1:${port}`;
  await writeFile(
    join(dir, 'alertmanager.yml'),
    [
      'route:',
      '  receiver: flightdeck',
      "  group_by: ['alertname']",
      '  group_wait: 0s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: flightdeck',
      '    webhook_configs:',
      `      - url: ${webhookUrl}`,
      '        send_resolved: true',
      '        http_config:',
      '          authorization:',
      `            credentials: ${WEBHOOK_TOKEN}`,
      '',
    ].join('\n'),
  );
  alertmanager = await startProcess(
    binary,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    {
      name: 'alertmanager',
      timeoutMs: 20_000,
      isReady: async () => (await fetch(`${amUrl}/-/ready`).catch(() => undefined))?.ok === true,
    },
  );
}

async function postAlert(endsAt?: string): Promise<void> {
  const res = await fetch(`${amUrl}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        labels: {
          alertname: 'CheckoutErrors',
          severity: 'critical',
          namespace: 'am',
          deployment: 'am-api',
          product: 'amshop',
        },
        annotations: { summary: 'checkout error rate above 5%' },
        startsAt: at(-5),
        ...(endsAt ? { endsAt } : {}),
      },
    ]),
  });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  stack = await startStack('alertmanager');
  viewer = await stack.token(['VIEWER'], 'val');
  // names of its own: the stream is shared with the other test files
  const s = new Story()
    .release('am-r1', at(-120), { version: '3.0.0', product: 'amshop' })
    .rollout('am-r1', 'am-ro1', at(-60), { succeededAt: at(-50) }, { namespace: 'am', deployment: 'am-api' });
  for (const e of s.events) await stack.bus.publish(e);
  await startAlertmanager(`${stack.baseUrl}${ALERTMANAGER_WEBHOOK_PATH}`);
});

afterAll(async () => {
  await alertmanager?.stop();
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const incidents = async () =>
  (
    await gql<{ incidents: Answer[] }>(
      stack.gatewayUrl,
      `{ incidents(product: "amshop", from: "${at(-30)}") { title severity source workload rolloutId release { id } openedAt resolvedAt } }`,
      {},
      viewer,
    )
  ).data?.incidents ?? [];

describe('a real Alertmanager posting to the webhook receiver', () => {
  it('opens an incident when the alert fires, linked to the live rollout, and resolves it when the alert ends', async () => {
    await postAlert();
    const [opened] = await eventually(
      'the firing alert recorded as an incident',
      async () => {
        const list = await incidents();
        return list.length && list[0]!.rolloutId ? list : undefined;
      },
      20_000,
    ).catch(async (err: Error) => {
      throw new Error(
        `${err.message}; incidents: ${JSON.stringify(await incidents())}; alertmanager said:\n${alertmanager.output().slice(-3000)}`,
      );
    });
    expect(opened).toMatchObject({
      title: 'checkout error rate above 5%',
      severity: 'critical',
      source: 'alertmanager',
      workload: 'am/am-api',
      rolloutId: 'am-ro1',
      release: { id: 'am-r1' },
      resolvedAt: null,
    });
    expect(opened!.openedAt).toBe(at(-5));

    await postAlert(at(-1));
    const [resolved] = await eventually(
      'the resolved alert recorded',
      async () => {
        const list = await incidents();
        return list[0]?.resolvedAt ? list : undefined;
      },
      20_000,
    );
    expect(resolved!.resolvedAt).toBe(at(-1));
    expect(await incidents()).toHaveLength(1);
  });
});
