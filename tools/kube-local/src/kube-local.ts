import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import {
  Behaviours,
  loadBehaviours,
  startWorkloadSim,
  type BehaviourMap,
  type WorkloadSim,
} from '@flightdeck/workload-sim';
import pino, { type Logger } from 'pino';
import { auditArgs, writeAuditPolicy } from './audit.js';
import { findBinaries } from './binaries.js';
import { Child } from './child.js';
import {
  apiserverArgs,
  controllerManagerArgs,
  defaultControllers,
  etcdArgs,
  kwokArgs,
  schedulerArgs,
} from './components.js';
import { failureOf } from './failure.js';
import { kubeconfigFor } from './kubeconfig.js';
import { makePki } from './pki.js';
import { checkPortFree, freePort } from './ports.js';
import { httpsGet, StartError, waitFor } from './wait.js';

export interface KubeLocalOptions {
  /** The API server's port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Also write the admin kubeconfig to this file. */
  kubeconfigPath?: string;
  /** Keep etcd's data in this directory, across restarts; by default it lives in a temporary directory removed on stop. */
  dataDir?: string;
  behaviours?: BehaviourMap;
  behavioursFile?: string;
  /** Seconds from scheduling to Ready for images whose behaviour does not say (default 2, as kube-sim). */
  podStartSeconds?: number;
  /** Port of the workloads' /metrics on 127.0.0.1; 0 (the default) picks a free one. */
  metricsPort?: number;
  /** How many fake nodes kwok plays (default 1). */
  nodes?: number;
  /** kube-controller-manager's --controllers (default: `defaultControllers`). */
  controllers?: string[];
  /** Where the built binaries are (default tools/kube-local/bin). */
  binDir?: string;
  /** How long each component may take to get ready (default 120 s). */
  startTimeoutMs?: number;
  /** Copy every component's log lines to stderr. */
  echoLogs?: boolean;
  /** Log what service accounts outside kube-system do to `auditLogPath` (see audit.ts). */
  auditLog?: boolean;
  /** Aborting it while kube-local starts stops what has started and rejects (a SIGTERM before ready, say). */
  signal?: AbortSignal;
  logger?: Logger;
}

export interface KubeLocal {
  /** https://127.0.0.1:PORT */
  url: string;
  port: number;
  /** The admin kubeconfig (client certificate in system:masters), as text. */
  kubeconfig: string;
  /** The workloads' metrics, for Prometheus to scrape. */
  metricsUrl: string;
  /** The cluster CA (PEM), for clients that take it on its own. */
  caCert: string;
  /** etcd's data directory. */
  dataDir: string;
  /** Certificates, kubeconfigs and each component's log (`logs/NAME.log`); removed on stop. */
  runDir: string;
  nodeNames: string[];
  /** With `auditLog`: the API server's audit log (JSON lines; read it with readAudit). */
  auditLogPath?: string;
  /** Resolves when a component stops on its own after start-up, with what it said. */
  failed: Promise<string>;
  stop(): Promise<void>;
}

const stagesFile = fileURLToPath(new URL('../kwok/stages.yaml', import.meta.url));

async function prepareDataDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new StartError(`the etcd data dir ${dir} cannot be used: ${(e as Error).message}`);
  }
  if (!(await stat(dir)).isDirectory()) throw new StartError(`the etcd data dir ${dir} is not a directory`);
  try {
    await writeFile(join(dir, '.kube-local-write-test'), '');
    await rm(join(dir, '.kube-local-write-test'));
  } catch (e) {
    throw new StartError(`the etcd data dir ${dir} is not writable: ${(e as Error).message}`);
  }
}

/**
 * Starts a real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver (TLS, client certificates, RBAC),
 * kube-controller-manager, kube-scheduler, kwok playing the nodes and their pods, and the simulated workloads'
 * metrics. Resolves once a Deployment can be created and run; rejects with a StartError saying why otherwise.
 */
export async function startKubeLocal(opts: KubeLocalOptions = {}): Promise<KubeLocal> {
  const log = opts.logger ?? pino({ level: 'silent' });
  const timeout = opts.startTimeoutMs ?? 120_000;
  const bin = findBinaries(opts.binDir);
  if (opts.port) await checkPortFree(opts.port, 'the API server');
  if (opts.metricsPort) await checkPortFree(opts.metricsPort, 'the metrics');
  const behaviours = new Behaviours(
    { ...(opts.behavioursFile ? loadBehaviours(opts.behavioursFile) : {}), ...opts.behaviours },
    opts.podStartSeconds ?? 2,
  );
  if (opts.dataDir) await prepareDataDir(opts.dataDir);

  const runDir = await mkdtemp(join(tmpdir(), 'kube-local-'));
  const dataDir = opts.dataDir ?? join(runDir, 'etcd');
  log.info({ runDir, dataDir }, 'starting');
  const children: Child[] = [];
  let workloads: WorkloadSim | undefined;
  let stopping = false;
  let reportFailure: (why: string) => void = () => {};
  const failed = new Promise<string>((resolve) => (reportFailure = resolve));

  async function stopAll(): Promise<void> {
    stopping = true;
    await workloads?.stop().catch((e: unknown) => log.warn({ err: e }, 'stopping the workload simulator failed'));
    // Clients first, etcd last, so nothing writes to a store that is going away.
    for (const c of [...children].reverse()) await c.stop();
    await rm(runDir, { recursive: true, force: true });
  }

  function start(name: string, binary: string, args: string[]): Child {
    log.info({ component: name }, 'starting');
    const child = new Child(name, binary, args, { logFile: join(runDir, 'logs', `${name}.log`), echo: opts.echoLogs });
    children.push(child);
    void child.exited.then((exit) => {
      if (stopping) return;
      const why = failureOf(child, exit);
      log.error({ component: name }, why);
      reportFailure(why);
    });
    return child;
  }

  try {
    await mkdir(join(runDir, 'logs'));
    const pki = await makePki(join(runDir, 'pki'));

    const etcdPorts = { client: await freePort(), peer: await freePort() };
    const etcd = start('etcd', bin.etcd, etcdArgs(dataDir, etcdPorts));
    await waitFor(
      `etcd (data dir ${dataDir}) did not start`,
      async () => {
        const res = await fetch(`http://127.0.0.1:${etcdPorts.client}/health`);
        return res.ok && ((await res.json()) as { health?: string }).health === 'true' ? true : undefined;
      },
      [etcd],
      timeout,
      opts.signal,
    );

    const port = opts.port || (await freePort());
    const url = `https://127.0.0.1:${port}`;
    const auditLogPath = opts.auditLog ? join(runDir, 'audit.log') : undefined;
    const audit = auditLogPath ? auditArgs(join(runDir, 'audit-policy.yaml'), auditLogPath) : [];
    if (auditLogPath) await writeAuditPolicy(join(runDir, 'audit-policy.yaml'));
    const apiserver = start('kube-apiserver', bin['kube-apiserver'], [
      ...apiserverArgs(pki, port, etcdPorts.client),
      ...audit,
    ]);
    const adminTls = { ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem };
    await waitFor(
      `kube-apiserver on port ${port} did not get ready`,
      async () => {
        const res = await httpsGet(`${url}/readyz`, adminTls);
        if (res.status !== 200) throw new Error(`/readyz answered ${res.status}: ${res.body.slice(0, 300)}`);
        return true;
      },
      [etcd, apiserver],
      timeout,
      opts.signal,
    );

    const kubeconfig = kubeconfigFor(url, pki.ca.certPem, pki.admin, 'kube-local-admin');
    const write = async (name: string, text: string) => {
      const file = join(runDir, `${name}.kubeconfig`);
      await writeFile(file, text, { mode: 0o600 });
      return file;
    };
    const controllerManager = start(
      'kube-controller-manager',
      bin['kube-controller-manager'],
      controllerManagerArgs(
        pki,
        await write(
          'controller-manager',
          kubeconfigFor(url, pki.ca.certPem, pki.controllerManager, 'system:kube-controller-manager'),
        ),
        opts.controllers ?? defaultControllers,
      ),
    );
    const scheduler = start(
      'kube-scheduler',
      bin['kube-scheduler'],
      schedulerArgs(
        await write('scheduler', kubeconfigFor(url, pki.ca.certPem, pki.scheduler, 'system:kube-scheduler')),
      ),
    );
    const kwok = start(
      'kwok',
      bin.kwok,
      kwokArgs(await write('kwok', kubeconfigFor(url, pki.ca.certPem, pki.kwok, 'kwok')), stagesFile),
    );
    const everyone = [etcd, apiserver, controllerManager, scheduler, kwok];

    const kc = new KubeConfig();
    kc.loadFromString(kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    const nodeNames = Array.from({ length: opts.nodes ?? 1 }, (_, i) => `kube-local-node-${i}`);
    for (const name of nodeNames) {
      await core
        .createNode({
          body: {
            metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', type: 'kwok' } },
          },
        })
        .catch((e: unknown) => {
          if ((e as { code?: number }).code !== 409) throw e; // kept from an earlier run in the same data dir
        });
    }
    workloads = await startWorkloadSim({
      kubeconfig,
      behaviours,
      annotatePods: true,
      port: opts.metricsPort ?? 0,
      logger: log.child({ part: 'workload-sim' }),
    });

    await waitFor(
      'kwok did not make the nodes Ready',
      async () => {
        const nodes = await core.listNode();
        const ready = nodes.items.filter(
          (n) =>
            nodeNames.includes(n.metadata!.name!) &&
            n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        );
        return ready.length === nodeNames.length ? true : undefined;
      },
      everyone,
      timeout,
      opts.signal,
    );
    // Pods need their namespace's `default` service account: until the controller makes it, they are refused.
    await waitFor(
      'kube-controller-manager did not make the default service account',
      () => core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' }).then(() => true),
      everyone,
      timeout,
      opts.signal,
    );

    if (opts.signal?.aborted)
      throw new StartError(`stopped while starting (${String(opts.signal.reason ?? 'aborted')})`);
    if (opts.kubeconfigPath) await writeFile(opts.kubeconfigPath, kubeconfig, { mode: 0o600 });
    log.info({ url, metricsUrl: workloads.metricsUrl, dataDir, runDir }, 'kube-local ready');

    let stopped: Promise<void> | undefined;
    return {
      url,
      port,
      kubeconfig,
      metricsUrl: workloads.metricsUrl!,
      caCert: pki.ca.certPem,
      dataDir,
      runDir,
      nodeNames,
      ...(auditLogPath ? { auditLogPath } : {}),
      failed,
      stop: () => (stopped ??= stopAll()),
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
