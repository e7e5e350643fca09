import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { startKubeSim } from './kube-sim.js';

function positive(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number, e.g. 60`);
    return n;
  };
}

function port(value: string) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('the port must be an integer from 0 to 65535 (0 picks a free one)');
  return n;
}

const program = new Command('kube-sim')
  .description(
    'A simulated Kubernetes cluster: the Kubernetes API for Deployments and friends, a deployment controller, and simulated workloads exporting Prometheus metrics',
  )
  .requiredOption('--port <n>', 'port to listen on, on 127.0.0.1 (0 picks a free port)', port)
  .requiredOption('--kubeconfig <file>', 'write a kubeconfig for the simulator to this file')
  .option(
    '--behaviours <file>',
    'YAML/JSON file mapping images to behaviour, e.g. "shop/web:2.0.0: {rps: 50, errorRatio: 0.2, p99Seconds: 1.5}" (key "default" for the rest)',
  )
  .option('--time-scale <x>', 'simulated seconds per real second', positive('the time scale'), 1)
  .option('--token <t>', 'require this bearer token on API requests')
  .option('--state <file>', 'keep the cluster state in this JSON file across restarts')
  .option(
    '--pod-start-seconds <s>',
    'simulated seconds from scheduling to Ready for images without a start delay',
    positive('the pod start delay'),
    2,
  )
  .option('--log-level <level>', 'pino log level (logs go to stderr)', 'info')
  .addHelpText(
    'after',
    '\nPrints "ready http://127.0.0.1:PORT metrics http://127.0.0.1:PORT/metrics" when listening; stops cleanly on SIGTERM or SIGINT.',
  );

program.parse();
const o = program.opts<{
  port: number;
  kubeconfig: string;
  behaviours?: string;
  timeScale: number;
  token?: string;
  state?: string;
  podStartSeconds: number;
  logLevel: string;
}>();
const log = pino({ level: o.logLevel }, pino.destination(2));

try {
  const sim = await startKubeSim({
    port: o.port,
    kubeconfigPath: o.kubeconfig,
    behavioursFile: o.behaviours,
    timeScale: o.timeScale,
    token: o.token,
    stateFile: o.state,
    podStartSeconds: o.podStartSeconds,
    logger: log,
  });
  process.stdout.write(`ready ${sim.url} metrics ${sim.metricsUrl}\n`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    sim.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error({ err: e }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (e) {
  process.stderr.write(`kube-sim: ${(e as Error).message}\n`);
  process.exit(1);
}
