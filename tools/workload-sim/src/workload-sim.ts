import { createServer, type Server } from 'node:http';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type Informer,
  type V1Pod,
} from '@kubernetes/client-node';
import pino, { type Logger } from 'pino';
import type { Behaviours } from './behaviours.js';
import { versionOfImage } from './image.js';
import { realClock, TrafficMetrics, type Clock, type PodIdentity } from './traffic-metrics.js';

/**
 * The annotations through which a pod's behaviour reaches a node simulator: kube-local's kwok stages wait for
 * them, then make the pod Ready after `start-delay` or, when `crash` is "true", keep it in CrashLoopBackOff.
 * `images` records which images the other two were worked out for.
 */
export const behaviourAnnotations = {
  startDelay: 'workload-sim.flightdeck.dev/start-delay',
  crash: 'workload-sim.flightdeck.dev/crash',
  images: 'workload-sim.flightdeck.dev/images',
} as const;

export interface WorkloadSimOptions {
  /** A kubeconfig (its text) for the API server whose pods to simulate. */
  kubeconfig: string;
  behaviours: Behaviours;
  /** The time traffic accrues in (default: real time; kube-sim passes its simulated clock). */
  clock?: Clock;
  /** Count into this registry of metrics instead of a new one (kube-sim serves it on its own /metrics). */
  traffic?: TrafficMetrics;
  /** Write each pod's behaviour into its annotations (`behaviourAnnotations`) for a node simulator to play. */
  annotatePods?: boolean;
  /** Serve the metrics at http://127.0.0.1:PORT/metrics (0 picks a free port); by default nothing is served. */
  port?: number;
  logger?: Logger;
  /** How long to wait before watching again after the watch failed. */
  retryMs?: number;
}

export interface WorkloadSim {
  traffic: TrafficMetrics;
  /** Set when `port` was given. */
  metricsUrl?: string;
  stop(): Promise<void>;
}

interface Tracked {
  identity?: PodIdentity;
  ready: boolean;
}

function isReady(pod: V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function imagesOf(pod: V1Pod): string {
  return (pod.spec?.containers ?? []).map((c) => c.image ?? '').join(',');
}

/**
 * Simulated workloads for any Kubernetes API server: watches every pod through the Kubernetes client, and while
 * a pod is Ready, counts the requests it serves at its image's behaviour (see TrafficMetrics). With
 * `annotatePods`, it also writes each new pod's behaviour into the pod for a node simulator to act on.
 */
export async function startWorkloadSim(opts: WorkloadSimOptions): Promise<WorkloadSim> {
  const log = opts.logger ?? pino({ level: 'silent' });
  const kc = new KubeConfig();
  kc.loadFromString(opts.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const traffic = opts.traffic ?? new TrafficMetrics(opts.clock ?? realClock);
  const pods = new Map<string, Tracked>();
  const deploymentOfReplicaSet = new Map<string, string>();
  let stopped = false;
  let chain = Promise.resolve();

  async function deploymentOf(pod: V1Pod): Promise<string> {
    const owner = (pod.metadata?.ownerReferences ?? []).find((r) => r.controller);
    if (owner?.kind !== 'ReplicaSet') return pod.metadata?.labels?.app ?? owner?.name ?? '';
    const key = `${pod.metadata!.namespace}/${owner.name}`;
    let name = deploymentOfReplicaSet.get(key);
    if (name === undefined) {
      try {
        const rs = await apps.readNamespacedReplicaSet({ name: owner.name, namespace: pod.metadata!.namespace! });
        name = rs.metadata?.ownerReferences?.find((r) => r.controller && r.kind === 'Deployment')?.name ?? owner.name;
      } catch {
        name = pod.metadata?.labels?.app ?? owner.name; // the ReplicaSet is gone already
      }
      deploymentOfReplicaSet.set(key, name);
    }
    return name;
  }

  async function annotate(pod: V1Pod): Promise<void> {
    const images = imagesOf(pod);
    if (pod.metadata?.deletionTimestamp || pod.metadata?.annotations?.[behaviourAnnotations.images] === images) return;
    const b = opts.behaviours.forPod(pod.spec);
    const annotations = {
      [behaviourAnnotations.startDelay]: `${b.startSeconds}s`,
      [behaviourAnnotations.crash]: String(Boolean(b.crash)),
      [behaviourAnnotations.images]: images,
    };
    try {
      await core.patchNamespacedPod(
        { name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, body: { metadata: { annotations } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    } catch (e) {
      if ((e as { code?: number }).code !== 404)
        log.error({ err: e, pod: pod.metadata?.name }, 'could not annotate a pod with its behaviour');
    }
  }

  async function seen(pod: V1Pod): Promise<void> {
    const uid = pod.metadata?.uid;
    if (!uid || stopped) return;
    if (opts.annotatePods) await annotate(pod);
    const tracked = pods.get(uid) ?? { ready: false };
    pods.set(uid, tracked);
    const ready = isReady(pod);
    if (ready && !tracked.ready) {
      tracked.identity ??= {
        uid,
        namespace: pod.metadata!.namespace!,
        deployment: await deploymentOf(pod),
        pod: pod.metadata!.name!,
        version: versionOfImage(pod.spec?.containers?.[0]?.image ?? ''),
      };
      traffic.podReady(tracked.identity, opts.behaviours.forPod(pod.spec));
    } else if (!ready && tracked.ready) {
      traffic.podNotReady(uid);
    }
    tracked.ready = ready;
  }

  function gone(pod: V1Pod): void {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    pods.delete(uid);
    traffic.podGone(uid);
  }

  // One event at a time, in order, so a pod's Ready and gone never overtake each other.
  const enqueue = (work: () => Promise<void> | void) => {
    chain = chain.then(work).catch((e: unknown) => log.error({ err: e }, 'workload simulator failed on a pod event'));
  };

  const informer: Informer<V1Pod> = makeInformer(kc, '/api/v1/pods', () => core.listPodForAllNamespaces());
  informer.on('add', (pod) => enqueue(() => seen(pod)));
  informer.on('update', (pod) => enqueue(() => seen(pod)));
  informer.on('delete', (pod) => enqueue(() => gone(pod)));
  let retry: NodeJS.Timeout | undefined;
  informer.on('error', (err: unknown) => {
    if (stopped) return;
    log.warn({ err }, 'watching pods failed; watching again shortly');
    retry = setTimeout(() => void informer.start().catch(() => {}), opts.retryMs ?? 1000);
  });
  await informer.start();

  let server: Server | undefined;
  let metricsUrl: string | undefined;
  if (opts.port !== undefined) {
    server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: the metrics are at /metrics\n');
        return;
      }
      traffic.text().then(
        (text) => res.writeHead(200, { 'Content-Type': traffic.contentType }).end(text),
        (e: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(e)),
      );
    });
    const port = await new Promise<number>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(opts.port, '127.0.0.1', () => resolve((server!.address() as { port: number }).port));
    });
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
  }

  return {
    traffic,
    metricsUrl,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(retry);
      await informer.stop();
      await chain;
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
  };
}
