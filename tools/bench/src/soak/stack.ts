/**
 * The whole stack for the soak, every part a process of its own as in e2e/: nats-server -js, the MongoDB-wire server,
 * kube-sim with a Prometheus scraping it, the four services and the gateway (their main.ts, production settings).
 * Each service loads the heap probe, which writes its heap after GC to a file in `dir`.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import {
  databaseUri,
  freePort,
  startNatsServer,
  startPrometheus,
  startReadyLineProcess,
  startServiceProcess,
  type NatsServerHandle,
  type PrometheusHandle,
  type ReadyLineProcess,
  type ServiceProcess,
} from '@flightdeck/testing';

export const SERVICES = ['planning', 'gates', 'deployment', 'analytics'] as const;
export type ServiceName = (typeof SERVICES)[number] | 'gateway';

const heapProbe = fileURLToPath(new URL('./heap-probe.ts', import.meta.url));

/** The workload the rollouts target: one Deployment of four replicas in the namespace `soak`. */
export const WORKLOAD = { namespace: 'soak', deployment: 'web', container: 'app', image: 'soak/web:1.0.0' };

export interface SoakStack {
  gatewayUrl: string;
  natsUrl: string;
  /** Where each service's heap-after-GC samples go (JSON lines). */
  heapFiles: Record<ServiceName, string>;
  processes: Record<ServiceName, ServiceProcess>;
  stop(): Promise<void>;
}

export async function startSoakStack(opts: {
  dir: string;
  secret: string;
  heapSampleMs: number;
  logLevel: string;
}): Promise<SoakStack> {
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
  };
  try {
    const nats: NatsServerHandle = await startNatsServer();
    stoppers.push(() => nats.stop());
    const mongo: ReadyLineProcess = await startReadyLineProcess({
      name: 'mongo-server',
      entry: 'tools/mongo-server/src/main.ts',
      args: ['--port', '0', '--log-level', 'warn'],
      logDir: opts.dir,
    });
    stoppers.push(() => mongo.stop());
    const kubeconfig = join(opts.dir, 'kubeconfig.yaml');
    const sim = await startReadyLineProcess({
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
    const prom: PrometheusHandle = await startPrometheus({ scrapeTargets: [sim.ready[2]!], scrapeIntervalSeconds: 1 });
    stoppers.push(() => prom.stop());
    await createWorkload(kubeconfig);

    const common = { NATS_URL: nats.url, AUTH_JWT_SECRET: opts.secret, LOG_LEVEL: opts.logLevel };
    const heapFiles = Object.fromEntries(
      [...SERVICES, 'gateway'].map((s) => [s, join(opts.dir, `${s}.heap.jsonl`)]),
    ) as Record<ServiceName, string>;
    const start = async (name: ServiceName, env: Record<string, string>) => {
      const proc = await startServiceProcess({
        name,
        entry: `apps/${name}/src/main.ts`,
        port: await freePort(),
        env: { ...common, ...env, SOAK_HEAP_FILE: heapFiles[name], SOAK_HEAP_SAMPLE_MS: String(opts.heapSampleMs) },
        logDir: opts.dir,
        nodeArgs: ['--expose-gc'],
        imports: [heapProbe],
      });
      stoppers.push(() => proc.stop());
      return proc;
    };
    const db = (name: string) => ({ MONGODB_URI: databaseUri(mongo.ready[0]!, `soak_${name}`) });
    const [planning, gates, deployment, analytics] = await Promise.all([
      start('planning', db('planning')),
      start('gates', db('gates')),
      start('deployment', { ...db('deployment'), KUBECONFIG: kubeconfig, PROMETHEUS_URL: prom.url }),
      start('analytics', db('analytics')),
    ]);
    const gateway = await start('gateway', {
      SUBGRAPH_PLANNING_URL: `${planning.baseUrl}/graphql`,
      SUBGRAPH_GATES_URL: `${gates.baseUrl}/graphql`,
      SUBGRAPH_DEPLOYMENT_URL: `${deployment.baseUrl}/graphql`,
      SUBGRAPH_ANALYTICS_URL: `${analytics.baseUrl}/graphql`,
      // All traffic comes from a few tokens: the per-identity rate limit stays on at its ceiling, so the soak measures the services.
      GATEWAY_RATE_LIMIT_REQUESTS: '10000000',
    });
    return {
      gatewayUrl: `${gateway.baseUrl}/graphql`,
      natsUrl: nats.url,
      heapFiles,
      processes: { planning, gates, deployment, analytics, gateway },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function createWorkload(kubeconfig: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const { namespace, deployment, container, image } = WORKLOAD;
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
  const labels = { app: deployment };
  await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
    namespace,
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: deployment, labels },
      spec: {
        replicas: 4,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: container, image }] } },
      },
    },
  });
}
