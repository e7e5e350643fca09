/**
 * The whole stack for chaos, every part a process of its own on a fixed port so it can be killed and started again
 * where its clients expect it: nats-server -js (its JetStream store kept across restarts), the MongoDB-wire server
 * with a durable log (--dbpath), kube-sim with a Prometheus scraping it, the four services and the gateway.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import {
  freePort,
  startNatsServer,
  startPrometheus,
  startReadyLineProcess,
  startRestartableServiceProcess,
  type NatsServerHandle,
  type PrometheusHandle,
  type ReadyLineProcess,
  type RestartableServiceProcess,
} from '@flightdeck/testing';

export const SERVICES = ['planning', 'gates', 'deployment', 'analytics'] as const;
export type ServiceName = (typeof SERVICES)[number];
export type ProcessName = ServiceName | 'gateway';

/** The namespace of the workloads the releases roll out to; one Deployment per lane, so rollouts never share one. */
export const NAMESPACE = 'chaos';
export const workloadName = (lane: number) => `web-${lane}`;
export const STABLE_IMAGE = 'chaos/web:1.0.0';

export interface MongoServerProcess {
  uri: string;
  kill(): Promise<void>;
  start(): Promise<void>;
  running(): boolean;
}

export interface PrometheusProcess {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  running(): boolean;
}

export interface ChaosStack {
  dir: string;
  secret: string;
  gatewayUrl: string;
  natsUrl: string;
  nats: NatsServerHandle;
  mongo: MongoServerProcess;
  prometheus: PrometheusProcess;
  kubeconfig: string;
  processes: Record<ProcessName, RestartableServiceProcess>;
  /** The database of each service in `mongo`. */
  databases: Record<ServiceName, string>;
  /** Starts one more analytics process on its own database and durable consumer (the from-scratch replay). */
  startAnalytics(database: string, consumer: string): Promise<RestartableServiceProcess>;
  stop(): Promise<void>;
}

export async function startChaosStack(opts: {
  dir: string;
  secret: string;
  lanes: number;
  logLevel?: string;
}): Promise<ChaosStack> {
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
  };
  try {
    const nats = await startNatsServer({ storeDir: join(opts.dir, 'nats') });
    stoppers.push(() => nats.stop());

    const mongo = await mongoServer(opts.dir);
    stoppers.push(() => mongo.kill());

    const kubeconfig = join(opts.dir, 'kubeconfig.yaml');
    const sim: ReadyLineProcess = await startReadyLineProcess({
      name: 'kube-sim',
      entry: 'tools/kube-sim/src/main.ts',
      args: [
        '--port',
        '0',
        '--kubeconfig',
        kubeconfig,
        '--time-scale',
        '20',
        '--pod-start-seconds',
        '2',
        '--log-level',
        'warn',
      ],
      logDir: opts.dir,
    });
    stoppers.push(() => sim.stop());
    const prometheus = await prometheusProcess(sim.ready[2]!);
    stoppers.push(() => prometheus.stop());
    await createWorkloads(kubeconfig, opts.lanes);

    const common = { NATS_URL: nats.url, AUTH_JWT_SECRET: opts.secret, LOG_LEVEL: opts.logLevel ?? 'warn' };
    const databases = Object.fromEntries(SERVICES.map((s) => [s, `chaos_${s}`])) as Record<ServiceName, string>;
    const start = async (name: string, entry: string, env: Record<string, string>) => {
      const proc = await startRestartableServiceProcess({
        name,
        entry,
        port: await freePort(),
        env: { ...common, ...env },
        logDir: opts.dir,
      });
      stoppers.push(() => proc.stop());
      return proc;
    };
    const db = (name: ServiceName) => ({ MONGODB_URI: databaseUri(mongo.uri, databases[name]) });
    const [planning, gates, deployment, analytics] = await Promise.all([
      start('planning', 'apps/planning/src/main.ts', db('planning')),
      start('gates', 'apps/gates/src/main.ts', db('gates')),
      start('deployment', 'apps/deployment/src/main.ts', {
        ...db('deployment'),
        KUBECONFIG: kubeconfig,
        PROMETHEUS_URL: prometheus.url,
      }),
      start('analytics', 'apps/analytics/src/main.ts', db('analytics')),
    ]);
    const gateway = await start('gateway', 'apps/gateway/src/main.ts', {
      SUBGRAPH_PLANNING_URL: `${planning.baseUrl}/graphql`,
      SUBGRAPH_GATES_URL: `${gates.baseUrl}/graphql`,
      SUBGRAPH_DEPLOYMENT_URL: `${deployment.baseUrl}/graphql`,
      SUBGRAPH_ANALYTICS_URL: `${analytics.baseUrl}/graphql`,
      // The scenario's few tokens send every request: the per-identity limit stays on, at its ceiling.
      GATEWAY_RATE_LIMIT_REQUESTS: '10000000',
    });
    return {
      dir: opts.dir,
      secret: opts.secret,
      gatewayUrl: `${gateway.baseUrl}/graphql`,
      natsUrl: nats.url,
      nats,
      mongo,
      prometheus,
      kubeconfig,
      processes: { planning, gates, deployment, analytics, gateway },
      databases,
      startAnalytics: (database, consumer) =>
        start(`analytics-${consumer}`, 'apps/analytics/src/main.ts', {
          MONGODB_URI: databaseUri(mongo.uri, database),
          ANALYTICS_CONSUMER: consumer,
        }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The URI of one database (the invariants read the same names). */
export function databaseUri(serverUri: string, database: string): string {
  const url = new URL(serverUri);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The MongoDB-wire server on a fixed port with its durable log: a SIGKILL loses no acknowledged write. */
async function mongoServer(dir: string): Promise<MongoServerProcess> {
  const port = await freePort();
  const dbpath = join(dir, 'mongo');
  await mkdir(dbpath, { recursive: true });
  let starts = 0;
  const launch = () =>
    startReadyLineProcess({
      name: `mongo-server-${++starts}`,
      entry: 'tools/mongo-server/src/main.ts',
      args: ['--port', String(port), '--dbpath', dbpath, '--log-level', 'warn'],
      logDir: dir,
    });
  let proc: ReadyLineProcess | undefined = await launch();
  return {
    uri: proc.ready[0]!,
    running: () => proc !== undefined,
    async kill() {
      const p = proc;
      proc = undefined;
      if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
      const exited = new Promise((r) => p.child.once('exit', r));
      p.child.kill('SIGKILL');
      await exited;
    },
    async start() {
      if (proc) throw new Error('mongo-server is running: kill it first');
      proc = await launch();
    },
  };
}

/** A Prometheus on a fixed port; taken away, it comes back empty (its samples are gone, as after a lost volume). */
async function prometheusProcess(metricsUrl: string): Promise<PrometheusProcess> {
  const port = await freePort();
  const launch = () => startPrometheus({ scrapeTargets: [metricsUrl], scrapeIntervalSeconds: 1, port });
  let handle: PrometheusHandle | undefined = await launch();
  return {
    url: handle.url,
    running: () => handle !== undefined,
    async stop() {
      const h = handle;
      handle = undefined;
      await h?.stop();
    },
    async start() {
      if (handle) throw new Error('prometheus is running: stop it first');
      handle = await launch();
    },
  };
}

async function createWorkloads(kubeconfig: string, lanes: number): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NAMESPACE } } });
  const apps = kc.makeApiClient(AppsV1Api);
  for (let lane = 0; lane < lanes; lane++) {
    const name = workloadName(lane);
    const labels = { app: name };
    await apps.createNamespacedDeployment({
      namespace: NAMESPACE,
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, labels },
        spec: {
          replicas: 4,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: STABLE_IMAGE }] } },
        },
      },
    });
  }
}
