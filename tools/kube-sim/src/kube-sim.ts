import { hostname } from 'node:os';
import {
  Behaviours,
  loadBehaviours,
  startWorkloadSim,
  TrafficMetrics,
  type BehaviourMap,
} from '@flightdeck/workload-sim';
import pino, { type Logger } from 'pino';
import { ClusterApi } from './api/cluster-api.js';
import { SimClock } from './clock.js';
import { DeploymentController } from './controllers/deployment-controller.js';
import { EventRecorder } from './controllers/event-recorder.js';
import { GarbageCollector } from './controllers/garbage-collector.js';
import { Kubelet } from './controllers/kubelet.js';
import { NamespaceController } from './controllers/namespace-controller.js';
import { ReplicaSetController } from './controllers/replicaset-controller.js';
import { ApiHttpServer } from './http/server.js';
import { kinds, KindRegistry } from './kinds/registry.js';
import { kubeconfigFor, writeKubeconfig } from './kubeconfig.js';
import { StateFile } from './state-file.js';
import { ResourceStore } from './store/store.js';

export interface KubeSimOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** When set, every API request must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Simulated seconds per real second. */
  timeScale?: number;
  behaviours?: BehaviourMap;
  behavioursFile?: string;
  /** Simulated seconds from scheduling to Ready for images whose behaviour does not say. */
  podStartSeconds?: number;
  /** Keep the cluster's objects in this JSON file across restarts. */
  stateFile?: string;
  /** Write a kubeconfig for the simulator here. */
  kubeconfigPath?: string;
  /** How many changes watches can resume from before they get 410 Gone. */
  watchHistory?: number;
  maxBodyBytes?: number;
  bookmarkIntervalMs?: number;
  logger?: Logger;
}

export interface KubeSim {
  url: string;
  metricsUrl: string;
  port: number;
  /** The kubeconfig text (also written to `kubeconfigPath` when given). */
  kubeconfig: string;
  api: ClusterApi;
  clock: SimClock;
  stop(): Promise<void>;
}

const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Starts the simulated cluster: API server, controllers, simulated kubelet and workload metrics. */
export async function startKubeSim(opts: KubeSimOptions = {}): Promise<KubeSim> {
  const log = opts.logger ?? pino({ level: 'silent' });
  const clock = new SimClock(opts.timeScale ?? 1);
  const store = new ResourceStore(opts.watchHistory ?? 5000);
  const registry = new KindRegistry();
  const api = new ClusterApi(store, registry, clock);
  const behaviours = new Behaviours(
    { ...(opts.behavioursFile ? loadBehaviours(opts.behavioursFile) : {}), ...opts.behaviours },
    opts.podStartSeconds ?? 2,
  );
  const state = opts.stateFile ? new StateFile(opts.stateFile, store) : undefined;
  const restored = state?.load() ?? false;
  for (const ns of systemNamespaces)
    if (!api.tryGet(kinds.namespaces, undefined, ns))
      api.create(kinds.namespaces, undefined, { metadata: { name: ns } });

  const traffic = new TrafficMetrics(clock);
  const deployments = new DeploymentController(api, new EventRecorder(api, 'deployment-controller'), log);
  const replicaSets = new ReplicaSetController(api, new EventRecorder(api, 'replicaset-controller'), log);
  const scheduler = new EventRecorder(api, 'default-scheduler', {
    action: 'Binding',
    reportingInstance: `default-scheduler-${hostname()}`,
  });
  const kubelet = new Kubelet(api, behaviours, new EventRecorder(api, 'kubelet'), log, scheduler);
  const gc = new GarbageCollector(api, log);
  const namespaces = new NamespaceController(api);
  for (const ns of api.list(kinds.namespaces, undefined).items) namespaces.populate(ns);
  const unsubscribe = store.subscribe((e) => {
    namespaces.onEvent(e);
    deployments.onEvent(e);
    replicaSets.onEvent(e);
    kubelet.onEvent(e);
    gc.onEvent(e);
  });
  if (restored) {
    kubelet.resume();
    gc.sweep();
    replicaSets.resyncAll();
    deployments.resyncAll();
  }
  state?.watch();

  const http = new ApiHttpServer({
    api,
    traffic,
    log,
    token: opts.token,
    maxBodyBytes: opts.maxBodyBytes ?? 3 * 1024 * 1024,
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 1000,
  });
  const port = await http.listen(opts.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  if (opts.kubeconfigPath) writeKubeconfig(opts.kubeconfigPath, url, opts.token);
  // The simulated workloads watch this server's pods like any client would, and count into the /metrics above.
  const workloads = await startWorkloadSim({
    kubeconfig: kubeconfigFor(url, opts.token),
    behaviours,
    traffic,
    logger: log.child({ part: 'workload-sim' }),
  });
  log.info({ url, timeScale: clock.timeScale, restored }, 'kube-sim listening');

  let stopped = false;
  return {
    url,
    metricsUrl: `${url}/metrics`,
    port,
    kubeconfig: kubeconfigFor(url, opts.token),
    api,
    clock,
    async stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      deployments.queue.stop();
      replicaSets.queue.stop();
      kubelet.stop();
      await workloads.stop();
      clock.stop();
      await http.close();
      state?.close();
    },
  };
}
