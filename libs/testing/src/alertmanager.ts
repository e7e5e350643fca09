import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBinary } from './binaries.js';
import { freePort } from './free-port.js';
import { startProcess } from './process.js';

export interface AlertmanagerHandle {
  url: string;
  /** Posts alerts to Alertmanager's API (`/api/v2/alerts`), as Prometheus does. */
  postAlerts(
    alerts: {
      labels: Record<string, string>;
      annotations?: Record<string, string>;
      startsAt?: string;
      endsAt?: string;
    }[],
  ): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a real Alertmanager (the Debian package prometheus-alertmanager) on a free port, with one route sending
 * every alert at once (group_wait 0 s, group_interval 1 s, grouped by `groupBy`) to each webhook URL, with the bearer
 * token, resolved ones too.
 */
export async function startAlertmanager(opts: {
  webhookUrls: string[];
  token?: string;
  groupBy?: string[];
}): Promise<AlertmanagerHandle> {
  const binary = requireBinary('prometheus-alertmanager');
  const dir = await mkdtemp(join(tmpdir(), 'flightdeck-alertmanager-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const hooks = opts.webhookUrls.flatMap((u) => [
    `      - url: ${u}`,
    '        send_resolved: true',
    ...(opts.token
      ? ['        http_config:', '          authorization:', `            credentials: ${opts.token}`]
      : []),
  ]);
  await writeFile(
    join(dir, 'alertmanager.yml'),
    [
      'route:',
      '  receiver: flightdeck',
      `  group_by: [${(opts.groupBy ?? ['alertname']).map((g) => `'${g}'`).join(', ')}]`,
      '  group_wait: 0s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: flightdeck',
      '    webhook_configs:',
      ...hooks,
      '',
    ].join('\n'),
  );
  const proc = await startProcess(
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
      isReady: async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok === true,
    },
  );
  return {
    url,
    async postAlerts(alerts) {
      const res = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      if (res.status !== 200) throw new Error(`alertmanager refused the alerts: ${res.status} ${await res.text()}`);
    },
    async stop() {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
