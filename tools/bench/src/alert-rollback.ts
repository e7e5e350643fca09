/**
 * Alert-to-rollback time of the deployment service: canary rollouts of a bad image naming the alert that aborts them
 * (`abortOnAlerts`), each alert sent through a real Alertmanager to the service's webhook, timed from the
 * notification reaching the webhook to the rollback's first change to the Deployment, seen by a watch on kube-sim.
 * Next to it, in the same run, rollouts of the same image left to analysis alone (a measurement every
 * `--interval` seconds, 60 by default), timed from the failure condition first holding in Prometheus to that same
 * first change.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { AppsV1Api, KubeConfig, Watch, type V1Deployment } from '@kubernetes/client-node';
import { Command } from 'commander';
import { createTokenVerifier } from '@flightdeck/auth';
import { DeterministicAdvisor } from '@flightdeck/ai';
import { createDeploymentService, PrometheusMetricProvider, type DeploymentService } from '@flightdeck/deployment';
import { gateEvaluationCompleted, InProcessBus } from '@flightdeck/events';
import { startMongoServer } from '@flightdeck/mongo-server';
import { connectMongo } from '@flightdeck/persistence';
import { createLogger, createMetrics } from '@flightdeck/telemetry';
import { eventually, startAlertmanager, startPrometheus } from '@flightdeck/testing';
import { startKubeSimProcess } from './kube-sim-process.js';

export interface AlertBenchOptions {
  /** Rollouts rolled back by an alert. */
  alerted: number;
  /** Rollouts left to analysis alone. */
  analysed: number;
  /** The analysis interval of the rollouts left to analysis (the alerted ones take no measurement within the run). */
  intervalSeconds: number;
  timeScale: number;
}

export interface Figures {
  samples: number[];
  p50: number;
  p99: number;
  max: number;
}

export interface AlertBenchResult {
  intervalSeconds: number;
  /** Seconds from the notification reaching the webhook to the rollback's first change to the Deployment. */
  alert: Figures;
  /** Seconds from the failure condition holding in Prometheus to the rollback's first change to the Deployment. */
  analysis: Figures;
  /** Seconds from posting the alert to Alertmanager to its notification reaching the webhook (Alertmanager's part, not in `alert`). */
  alertmanager: Figures;
  /** The recorded cause of each rollback, per part. */
  causes: { alert: string[]; analysis: string[] };
}

const BEHAVIOURS =
  'default: { rps: 20, errorRatio: 0.001, p99Seconds: 0.2, startSeconds: 2 }\n"bench/web:3.0.0-bad": { rps: 20, errorRatio: 0.3, p99Seconds: 1.5 }\n';

export function figures(samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  return { samples, p50: rank(50), p99: rank(99), max: sorted.at(-1) ?? NaN };
}

/** The first time each canary Deployment is seen scaled back to 0 after it ran: the rollback's first change. Re-watches when the server ends a watch. */
class CanaryWatch {
  private readonly up = new Set<string>();
  private readonly seen = new Map<string, number>();
  private abort: AbortController | undefined;
  private stopped = false;

  constructor(private readonly kc: KubeConfig) {}

  async start(): Promise<void> {
    this.abort = await new Watch(this.kc).watch(
      '/apis/apps/v1/namespaces/default/deployments',
      {},
      (_type: string, d: V1Deployment) => {
        const name = d.metadata?.name ?? '';
        if (!name.endsWith('-canary')) return;
        const workload = name.slice(0, -'-canary'.length);
        if ((d.spec?.replicas ?? 0) > 0) this.up.add(workload);
        else if (this.up.has(workload) && !this.seen.has(workload)) this.seen.set(workload, Date.now());
      },
      () => {
        if (!this.stopped) void this.start();
      },
    );
  }

  firstChange(workload: string): Promise<number> {
    return eventually(`the rollback of ${workload} in the watch`, async () => this.seen.get(workload), 300_000, 20);
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }
}

export async function runAlertBench(opts: AlertBenchOptions): Promise<AlertBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'flightdeck-bench-alert-'));
  const sim = await startKubeSimProcess(dir, opts.timeScale, BEHAVIOURS);
  const prom = await startPrometheus({ scrapeTargets: [`${sim.url}/metrics`], scrapeIntervalSeconds: 0.5 });
  const mongoServer = await startMongoServer({ port: 0 });
  const mongo = await connectMongo({ uri: `${mongoServer.uri}/deployment-alert-bench` });
  const bus = new InProcessBus();
  const kc = new KubeConfig();
  kc.loadFromFile(sim.kubeconfig);
  const apps = kc.makeApiClient(AppsV1Api);
  const watch = new CanaryWatch(kc);
  let service: DeploymentService | undefined;
  let server: Server | undefined;
  let alertmanager: Awaited<ReturnType<typeof startAlertmanager>> | undefined;
  try {
    const svc = createDeploymentService({
      mongo,
      bus,
      logger: createLogger({ service: 'deployment', level: 'silent' }),
      metrics: createMetrics({ service: 'deployment' }),
      verifier: createTokenVerifier({ secret: 'bench-secret-of-at-least-32-characters!' }),
      advisor: new DeterministicAdvisor('benchmark'),
      kubeconfig: kc,
      prometheusUrl: prom.url,
    });
    service = svc;
    await svc.start();
    // In front of the service's own app: when each notification reaches the webhook, by the deployment it is about.
    const arrivals = new Map<string, number>();
    const front = express();
    front.use('/webhooks/alertmanager', (req, _res, next) => {
      (req as unknown as { arrivedAt: number }).arrivedAt = Date.now();
      next();
    });
    front.use('/webhooks/alertmanager', express.json({ type: () => true }), (req, _res, next) => {
      const body = req.body as { alerts?: { status: string; labels: Record<string, string> }[] };
      for (const a of body.alerts ?? [])
        if (a.status === 'firing' && a.labels.deployment && !arrivals.has(a.labels.deployment))
          arrivals.set(a.labels.deployment, (req as unknown as { arrivedAt: number }).arrivedAt);
      next();
    });
    front.use(svc.app);
    server = createServer(front);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const webhook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/alertmanager`;
    alertmanager = await startAlertmanager({ webhookUrls: [webhook], groupBy: ['alertname', 'deployment'] });
    await watch.start();

    const releaseId = 'rel-alert-bench';
    await bus.publish(
      gateEvaluationCompleted.create({
        source: 'bench',
        data: {
          releaseId,
          evaluationId: 'e1',
          gate: 'PRODUCTION',
          outcome: 'PASS',
          evaluatedAt: new Date().toISOString(),
        },
      }),
    );
    await eventually(
      'the gate projected',
      async () =>
        (await mongo.connection.collection('release_gates').findOne({ _id: releaseId as never })) ? true : undefined,
      10_000,
    );

    const names = [
      ...Array.from({ length: opts.alerted }, (_, i) => `alerted-${i}`),
      ...Array.from({ length: opts.analysed }, (_, i) => `analysed-${i}`),
    ];
    await Promise.all(
      names.map((name) => {
        const labels = { app: name };
        return apps.createNamespacedDeployment({
          namespace: 'default',
          body: {
            metadata: { name, labels },
            spec: {
              replicas: 2,
              selector: { matchLabels: labels },
              template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'bench/web:1.0.0' }] } },
            },
          },
        });
      }),
    );
    await eventually(
      `${names.length} workloads ready`,
      async () => {
        const list = await apps.listNamespacedDeployment({ namespace: 'default' });
        return list.items.filter((d) => d.status?.readyReplicas === 2).length >= names.length ? true : undefined;
      },
      120_000,
      250,
    );

    const metric = {
      name: 'error-ratio',
      query:
        '(sum(rate(http_requests_total{ {{canarySelector}},code=~"5.." }[{{interval}}])) or vector(0)) / sum(rate(http_requests_total{ {{canarySelector}} }[{{interval}}]))',
      failureCondition: 'result > 0.1',
      intervalSeconds: opts.intervalSeconds,
      count: 50,
      failureLimit: 0,
      inconclusiveLimit: 50,
      weight: 1,
    };
    const ids = new Map<string, string>();
    for (const name of names) {
      const { rollout } = await svc.commands.start(
        {
          releaseId,
          environment: 'bench',
          target: { cluster: '', namespace: 'default', deployment: name, container: 'app' },
          image: 'bench/web:3.0.0-bad',
          strategy: 'CANARY',
          // The alerted ones take their first measurement after an hour: only their alert can roll them back within the run.
          steps: [
            { kind: 'SET_WEIGHT', weight: 50 },
            {
              kind: 'ANALYSIS',
              templates: ['error-ratio'],
              ...(name.startsWith('alerted') ? { initialDelaySeconds: 3600 } : {}),
            },
          ],
          metrics: [metric],
          progressDeadlineSeconds: 300,
          ...(name.startsWith('alerted')
            ? { abortOnAlerts: { matchers: ['alertname="CheckoutErrors"'], minSeverity: 'CRITICAL' as const } }
            : {}),
        },
        { by: 'bench' },
      );
      ids.set(name, rollout.id);
    }
    const provider = new PrometheusMetricProvider(prom.url);
    /** When the failure condition first holds in Prometheus for this rollout's canary: the run's own query, polled every 250 ms from the start. */
    const failureVisible = (name: string, intervalSeconds: number): Promise<number> => {
      const query = metric.query
        .replaceAll('{{canarySelector}}', `namespace="default",deployment="${name}-canary"`)
        .replaceAll('{{interval}}', `${Math.max(4, Math.ceil(intervalSeconds * 2))}s`);
      return eventually(
        `the failure condition of ${name} in Prometheus`,
        async () => {
          const at = Date.now();
          const r = await provider.runQuery(query);
          return r.ok && r.value > 0.1 ? at : undefined;
        },
        120_000,
        250,
      );
    };

    // Analysis alone: each timed from its failure becoming visible to the rollback's first change.
    const analysed = Promise.all(
      names
        .filter((n) => n.startsWith('analysed'))
        .map(async (name) => {
          const visible = await failureVisible(name, opts.intervalSeconds);
          return (await watch.firstChange(name)) - visible;
        }),
    );
    // Alerts, one after another as an alert rule would fire them, each once its canary's failure shows.
    const alertTimes: number[] = [];
    const alertmanagerTimes: number[] = [];
    for (const name of names.filter((n) => n.startsWith('alerted'))) {
      await failureVisible(name, opts.intervalSeconds);
      const posted = Date.now();
      await alertmanager.postAlerts([
        {
          labels: { alertname: 'CheckoutErrors', severity: 'critical', namespace: 'default', deployment: name },
          startsAt: new Date().toISOString(),
        },
      ]);
      const changed = await watch.firstChange(name);
      const arrived = arrivals.get(name);
      if (arrived === undefined) throw new Error(`${name} was rolled back before its alert reached the webhook`);
      alertTimes.push(changed - arrived);
      alertmanagerTimes.push(arrived - posted);
    }
    const analysisTimes = await analysed;
    const causes = async (prefix: string) =>
      Promise.all(
        names
          .filter((n) => n.startsWith(prefix))
          .map(
            async (n) =>
              (await eventually(
                `the cause of ${n}`,
                async () => (await svc.commands.get(ids.get(n)!)).rollout.rollback?.cause,
                60_000,
              )) as string,
          ),
      );
    const secs = (xs: number[]) => xs.map((x) => x / 1000);
    return {
      intervalSeconds: opts.intervalSeconds,
      alert: figures(secs(alertTimes)),
      analysis: figures(secs(analysisTimes)),
      alertmanager: figures(secs(alertmanagerTimes)),
      causes: { alert: await causes('alerted'), analysis: await causes('analysed') },
    };
  } finally {
    watch.stop();
    await alertmanager?.stop();
    await service?.stop();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await bus.close();
    await mongo.close();
    await mongoServer.stop();
    await prom.stop();
    sim.proc.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const o = new Command('alert-rollback')
    .description(
      'Alert-to-rollback time (a real Alertmanager posting to the deployment webhook; the first Deployment change seen by a watch on kube-sim), next to analysis-only detection in the same run.',
    )
    .option('--alerted <n>', 'rollouts rolled back by an alert, one after another', '20')
    .option('--analysed <n>', 'rollouts left to analysis alone, concurrently', '20')
    .option('--interval <seconds>', 'analysis interval of the rollouts left to analysis', '60')
    .option('--time-scale <x>', 'kube-sim simulated seconds per real second', '20')
    .parse()
    .opts<{ alerted: string; analysed: string; interval: string; timeScale: string }>();
  const r = await runAlertBench({
    alerted: Number(o.alerted),
    analysed: Number(o.analysed),
    intervalSeconds: Number(o.interval),
    timeScale: Number(o.timeScale),
  });
  const line = (f: Figures) => `p50 ${f.p50.toFixed(3)} s   p99 ${f.p99.toFixed(3)} s   max ${f.max.toFixed(3)} s`;
  console.log(
    `alert reaching the webhook -> first Deployment change, ${r.alert.samples.length} rollouts: ${line(r.alert)}   (target p99 < 1 s)`,
  );
  console.log(
    `failure visible in Prometheus -> first Deployment change by analysis alone (interval ${r.intervalSeconds} s), ${r.analysis.samples.length} rollouts: ${line(r.analysis)}`,
  );
  console.log(
    `p99 ratio analysis / alert: ${(r.analysis.p99 / r.alert.p99).toFixed(1)}; Alertmanager's own part (posted -> webhook, not counted above): ${line(r.alertmanager)}`,
  );
  console.log(
    `alert samples (s, sorted): ${[...r.alert.samples]
      .sort((a, b) => a - b)
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `analysis samples (s, sorted): ${[...r.analysis.samples]
      .sort((a, b) => a - b)
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `causes recorded: alert part ${[...new Set(r.causes.alert)].join(', ')}; analysis part ${[...new Set(r.causes.analysis)].join(', ')}`,
  );
}
