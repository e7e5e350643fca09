/**
 * Detection-to-rollback time of the deployment service: bad canaries analysed against a real Prometheus scraping
 * the simulated cluster (kube-sim, run as its own process), measured from the moment the failure condition first
 * holds in Prometheus (a probe polls the same query every 100 ms) to the moment the rollback was applied to the
 * cluster. Printed next to the configured analysis interval, the theoretical bound for a measurement cadence.
 * Then N concurrent good rollouts on one service replica: the service process's CPU and memory, next to the same
 * process idle for the same time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { Command } from 'commander';
import { createTokenVerifier } from '@flightdeck/auth';
import { DeterministicAdvisor } from '@flightdeck/ai';
import { createDeploymentService, PrometheusMetricProvider, type DeploymentService } from '@flightdeck/deployment';
import { gateEvaluationCompleted, InProcessBus } from '@flightdeck/events';
import { startMongoServer } from '@flightdeck/mongo-server';
import { connectMongo } from '@flightdeck/persistence';
import { createLogger, createMetrics } from '@flightdeck/telemetry';
import { eventually, startPrometheus } from '@flightdeck/testing';
import { startKubeSimProcess } from './kube-sim-process.js';

export interface RollbackBenchOptions {
  badRollouts: number;
  intervalSeconds: number;
  concurrentRollouts: number;
  /** Simulated seconds per real second in kube-sim. */
  timeScale: number;
}

export interface RollbackBenchResult {
  intervalSeconds: number;
  /** Seconds from the failure condition holding in Prometheus to the rollback applied, per bad rollout. */
  detections: number[];
  median: number;
  max: number;
  /** max / interval: 1 means no delay beyond the measurement cadence itself. */
  ratio: number;
  /** Why each bad rollout was rolled back: the analysis, every one. */
  rollbacks: { cause: string }[];
  concurrent: {
    rollouts: number;
    promoted: number;
    seconds: number;
    cpuSeconds: number;
    idleCpuSeconds: number;
    rssMb: number;
    idleRssMb: number;
    heapMb: number;
  };
}

const BEHAVIOURS =
  'default: { rps: 20, errorRatio: 0.001, p99Seconds: 0.2, startSeconds: 2 }\n"bench/web:2.0.0": { rps: 20, errorRatio: 0.001, p99Seconds: 0.2 }\n"bench/web:3.0.0-bad": { rps: 20, errorRatio: 0.3, p99Seconds: 1.5 }\n';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runRollbackBench(opts: RollbackBenchOptions): Promise<RollbackBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'flightdeck-bench-rollback-'));
  const sim = await startKubeSimProcess(dir, opts.timeScale, BEHAVIOURS);
  const prom = await startPrometheus({ scrapeTargets: [`${sim.url}/metrics`], scrapeIntervalSeconds: 0.5 });
  const mongoServer = await startMongoServer({ port: 0 });
  const mongo = await connectMongo({ uri: `${mongoServer.uri}/deployment-bench` });
  const bus = new InProcessBus();
  const kc = new KubeConfig();
  kc.loadFromFile(sim.kubeconfig);
  const apps = kc.makeApiClient(AppsV1Api);
  let service: DeploymentService | undefined;
  try {
    service = createDeploymentService({
      mongo,
      bus,
      logger: createLogger({ service: 'deployment', level: 'silent' }),
      metrics: createMetrics({ service: 'deployment' }),
      verifier: createTokenVerifier({ secret: 'bench-secret-of-at-least-32-characters!' }),
      advisor: new DeterministicAdvisor('benchmark'),
      kubeconfig: kc,
      prometheusUrl: prom.url,
    });
    await service.start();
    const svc = service;
    const releaseId = 'rel-bench';
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

    const createWorkloads = async (prefix: string, n: number, replicas: number) => {
      await Promise.all(
        Array.from({ length: n }, (_, i) => {
          const labels = { app: `${prefix}-${i}` };
          return apps.createNamespacedDeployment({
            namespace: 'default',
            body: {
              metadata: { name: `${prefix}-${i}`, labels },
              spec: {
                replicas,
                selector: { matchLabels: labels },
                template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'bench/web:1.0.0' }] } },
              },
            },
          });
        }),
      );
      await eventually(
        `${n} ${prefix} workloads ready`,
        async () => {
          const list = await apps.listNamespacedDeployment({ namespace: 'default' });
          const ready = list.items.filter(
            (d) => d.metadata?.name?.startsWith(`${prefix}-`) && d.status?.readyReplicas === replicas,
          ).length;
          return ready === n ? true : undefined;
        },
        60_000,
      );
    };

    // Part 1: bad rollouts; the failure condition is the canary's error ratio above 10%.
    await createWorkloads('bad', opts.badRollouts, 2);
    const provider = new PrometheusMetricProvider(prom.url);
    const interval = opts.intervalSeconds;
    const metric = {
      name: 'error-ratio',
      query:
        '(sum(rate(http_requests_total{ {{canarySelector}},code=~"5.." }[{{interval}}])) or vector(0)) / sum(rate(http_requests_total{ {{canarySelector}} }[{{interval}}]))',
      failureCondition: 'result > 0.1',
      intervalSeconds: interval,
      count: 50,
      failureLimit: 0,
      inconclusiveLimit: 50,
      weight: 1,
    };
    const rollbacks: { cause: string }[] = [];
    const detections = await Promise.all(
      Array.from({ length: opts.badRollouts }, async (_, i) => {
        const { rollout } = await svc.commands.start(
          {
            releaseId,
            environment: 'bench',
            target: { cluster: '', namespace: 'default', deployment: `bad-${i}`, container: 'app' },
            image: 'bench/web:3.0.0-bad',
            strategy: 'CANARY',
            steps: [
              { kind: 'SET_WEIGHT', weight: 50 },
              { kind: 'ANALYSIS', templates: ['error-ratio'] },
            ],
            metrics: [metric],
            progressDeadlineSeconds: 120,
          },
          { by: 'bench' },
        );
        // The probe: the same query the analysis runs, every 100 ms, from when the run exists.
        const run = await eventually(
          'the analysis run',
          async () => (await svc.commands.get(rollout.id)).rollout.analysisRuns[0],
          60_000,
        );
        const query = run.metrics[0]!.query;
        let conditionAt: number | undefined;
        for (let k = 0; k < 1200 && conditionAt === undefined; k++) {
          const at = Date.now();
          const r = await provider.runQuery(query);
          if (r.ok && r.value > 0.1) conditionAt = at;
          else await sleep(100);
        }
        if (conditionAt === undefined) throw new Error(`bad-${i}: the failure condition never held in Prometheus`);
        const done = await eventually(
          'the rollback',
          async () => {
            const s = (await svc.commands.get(rollout.id)).rollout;
            return s.rollback?.appliedAt ? s : undefined;
          },
          120_000,
        );
        rollbacks.push({ cause: done.rollback!.cause });
        return (Date.parse(done.rollback!.appliedAt!) - conditionAt) / 1000;
      }),
    );

    // Part 2: concurrent good rollouts on this one replica, next to the same process idle as long.
    await createWorkloads('good', opts.concurrentRollouts, 2);
    const idleMs = 3000;
    const idleCpu0 = process.cpuUsage();
    await sleep(idleMs);
    const idleCpu = process.cpuUsage(idleCpu0);
    const idleRss = process.memoryUsage().rss;
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    let peakRss = 0;
    let peakHeap = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 200);
    const ids = await Promise.all(
      Array.from(
        { length: opts.concurrentRollouts },
        async (_, i) =>
          (
            await svc.commands.start(
              {
                releaseId,
                environment: 'bench',
                target: { cluster: '', namespace: 'default', deployment: `good-${i}`, container: 'app' },
                image: 'bench/web:2.0.0',
                strategy: 'CANARY',
                steps: [
                  { kind: 'SET_WEIGHT', weight: 50 },
                  { kind: 'ANALYSIS', templates: ['error-ratio'] },
                ],
                metrics: [{ ...metric, intervalSeconds: 1, count: 3, inconclusiveLimit: 10 }],
                progressDeadlineSeconds: 120,
              },
              { by: 'bench' },
            )
          ).rollout.id,
      ),
    );
    const finished = await eventually(
      'every concurrent rollout finished',
      async () => {
        const phases = await Promise.all(ids.map(async (id) => (await svc.commands.get(id)).rollout.phase));
        return phases.every((p) => p !== 'PROGRESSING' && p !== 'PROMOTING' && p !== 'ROLLING_BACK')
          ? phases
          : undefined;
      },
      300_000,
    );
    clearInterval(sampler);
    const seconds = (Date.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const idleCpuSeconds = (((idleCpu.user + idleCpu.system) / 1e6) * seconds * 1000) / idleMs;
    const max = Math.max(...detections);
    return {
      intervalSeconds: interval,
      detections,
      rollbacks,
      median: median(detections),
      max,
      ratio: max / interval,
      concurrent: {
        rollouts: ids.length,
        promoted: finished.filter((p) => p === 'PROMOTED').length,
        seconds,
        cpuSeconds,
        idleCpuSeconds,
        rssMb: peakRss / 2 ** 20,
        idleRssMb: idleRss / 2 ** 20,
        heapMb: peakHeap / 2 ** 20,
      },
    };
  } finally {
    await service?.stop();
    await bus.close();
    await mongo.close();
    await mongoServer.stop();
    await prom.stop();
    sim.proc.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const o = new Command('deployment-rollback')
    .description(
      'Detection-to-rollback time over bad canary rollouts (real Prometheus scraping kube-sim), and CPU/memory of concurrent rollouts on one replica.',
    )
    .option('--bad <n>', 'bad rollouts, analysed concurrently', '20')
    .option('--interval <seconds>', 'analysis interval', '5')
    .option('--concurrent <n>', 'concurrent good rollouts', '50')
    .option('--time-scale <x>', 'kube-sim simulated seconds per real second', '20')
    .parse()
    .opts<{ bad: string; interval: string; concurrent: string; timeScale: string }>();
  const r = await runRollbackBench({
    badRollouts: Number(o.bad),
    intervalSeconds: Number(o.interval),
    concurrentRollouts: Number(o.concurrent),
    timeScale: Number(o.timeScale),
  });
  console.log(
    `detection to rollback over ${r.detections.length} bad rollouts, analysis interval ${r.intervalSeconds} s:`,
  );
  console.log(
    `  median ${r.median.toFixed(2)} s   max ${r.max.toFixed(2)} s   (target max <= ${r.intervalSeconds + 1} s)`,
  );
  console.log(
    `  theoretical bound (one interval) ${r.intervalSeconds.toFixed(2)} s   max / interval ${r.ratio.toFixed(2)}`,
  );
  const c = r.concurrent;
  console.log(
    `${c.rollouts} concurrent rollouts on one replica (${c.promoted} promoted) in ${c.seconds.toFixed(1)} s:`,
  );
  console.log(
    `  CPU ${c.cpuSeconds.toFixed(2)} s (${((c.cpuSeconds / c.seconds) * 100).toFixed(0)}% of a core) vs idle ${c.idleCpuSeconds.toFixed(2)} s over the same time; ratio ${(c.cpuSeconds / Math.max(c.idleCpuSeconds, 0.001)).toFixed(1)}`,
  );
  console.log(
    `  peak RSS ${c.rssMb.toFixed(0)} MB vs idle ${c.idleRssMb.toFixed(0)} MB; peak heap ${c.heapMb.toFixed(0)} MB (service, embedded MongoDB-wire server and Prometheus client in this process; kube-sim and Prometheus are separate processes)`,
  );
}
