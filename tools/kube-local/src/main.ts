import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { defaultBinDir } from './binaries.js';
import { defaultControllers } from './components.js';
import { startKubeLocal } from './kube-local.js';

function port(value: string) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port is an integer from 0 to 65535 (0 picks a free one)');
  return n;
}

function positive(name: string, integer = false) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
      throw new InvalidArgumentError(`${name} must be a positive ${integer ? 'integer' : 'number'}, e.g. 2`);
    return n;
  };
}

function nonNegative(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0)
      throw new InvalidArgumentError(`${name} must be a number of seconds, 0 or more, e.g. 1`);
    return n;
  };
}

const program = new Command('kube-local')
  .description(
    "A real Kubernetes control plane on 127.0.0.1, built from Kubernetes' own Go modules: etcd, kube-apiserver (TLS, RBAC), " +
      'kube-controller-manager, kube-scheduler, and kwok playing the nodes and pods, with simulated workload metrics',
  )
  .requiredOption('--port <n>', "the API server's port on 127.0.0.1 (0 picks a free port)", port)
  .requiredOption(
    '--kubeconfig <file>',
    'write the admin kubeconfig (client certificate in system:masters) to this file',
  )
  .option(
    '--data-dir <dir>',
    "keep etcd's data in this directory across restarts (default: a temporary directory, removed on stop)",
  )
  .option(
    '--behaviours <file>',
    'YAML/JSON file mapping images to behaviour, e.g. "shop/web:2.0.0: {errorRatio: 0.2, p99Seconds: 1.5}" or "shop/web:3.*: {crash: true}" (key "default" for the rest)',
  )
  .option(
    '--pod-start-seconds <s>',
    'seconds from scheduling to Ready for images whose behaviour does not say',
    nonNegative('the pod start delay'),
    2,
  )
  .option('--metrics-port <n>', "port of the workloads' /metrics on 127.0.0.1 (0 picks a free port)", port, 0)
  .option('--nodes <n>', 'how many fake nodes kwok plays', positive('the number of nodes', true), 1)
  .option(
    '--controllers <list>',
    "kube-controller-manager's --controllers, comma-separated",
    defaultControllers.join(','),
  )
  .option('--bin-dir <dir>', 'where the built binaries are (npm run kube-local:build puts them there)', defaultBinDir)
  .option('--start-timeout <s>', 'seconds each component may take to get ready', positive('the start-up timeout'), 120)
  .option('--verbose', "copy every component's log lines to stderr, prefixed with its name")
  .option('--log-level <level>', 'pino log level of kube-local itself (logs go to stderr)', 'info')
  .addHelpText(
    'after',
    '\nPrints "ready https://127.0.0.1:PORT metrics http://127.0.0.1:PORT/metrics" once a Deployment can run; stops every component and removes\n' +
      'its temporary files on SIGTERM, SIGINT or SIGHUP. If it cannot start, it says why and exits with code 1.',
  );

program.parse();
const o = program.opts<{
  port: number;
  kubeconfig: string;
  dataDir?: string;
  behaviours?: string;
  podStartSeconds: number;
  metricsPort: number;
  nodes: number;
  controllers: string;
  binDir: string;
  startTimeout: number;
  verbose?: boolean;
  logLevel: string;
}>();
const log = pino({ level: o.logLevel }, pino.destination(2));

// A signal before ready stops the start-up (startKubeLocal cleans up what it started); after ready, the cluster.
const starting = new AbortController();
let shutdown = (why: string, _code: number) => starting.abort(why);
process.on('SIGTERM', () => shutdown('SIGTERM', 0));
process.on('SIGINT', () => shutdown('SIGINT', 0));
process.on('SIGHUP', () => shutdown('SIGHUP', 0));

try {
  const cluster = await startKubeLocal({
    port: o.port,
    kubeconfigPath: o.kubeconfig,
    dataDir: o.dataDir,
    behavioursFile: o.behaviours,
    podStartSeconds: o.podStartSeconds,
    metricsPort: o.metricsPort,
    nodes: o.nodes,
    controllers: o.controllers
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
    binDir: o.binDir,
    startTimeoutMs: o.startTimeout * 1000,
    echoLogs: o.verbose,
    signal: starting.signal,
    logger: log,
  });
  process.stdout.write(`ready ${cluster.url} metrics ${cluster.metricsUrl}\n`);
  let stopping = false;
  shutdown = (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.info({ why }, 'stopping');
    cluster.stop().then(
      () => process.exit(code),
      (e: unknown) => {
        log.error({ err: e }, 'stop failed');
        process.exit(1);
      },
    );
  };
  void cluster.failed.then((why) => {
    process.stderr.write(`kube-local: a component stopped on its own, so kube-local stops too: ${why}\n`);
    shutdown('a component failed', 1);
  });
} catch (e) {
  process.stderr.write(`kube-local: ${(e as Error).message}\n`);
  process.exit(1);
}
