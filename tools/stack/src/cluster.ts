import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { startKubeSim, type KubeSimOptions } from '@flightdeck/kube-sim';
import { hasBinary, startPrometheus } from '@flightdeck/testing';
import { DEMO_WORKLOAD, ensureDemoWorkload } from './demo-workload.js';

export interface StackCluster {
  kubeconfig: KubeConfig;
  prometheusUrl: string;
  /** The kubeconfig file of the simulated cluster (for kubectl), when the cluster is the simulated one. */
  simulatedKubeconfig?: string;
  /** Whether a Prometheus answers analysis queries; without one, analysis is inconclusive and rollouts pause. */
  analysis: boolean;
  stop(): Promise<void>;
}

/** How the simulated cluster runs: image behaviours, simulated seconds per real second, Prometheus' scrape interval. */
export interface StackClusterOptions {
  behaviours?: KubeSimOptions['behaviours'];
  timeScale?: number;
  scrapeIntervalSeconds?: number;
}

// Nothing listens here: every analysis query is inconclusive, so rollouts pause instead of promoting.
const NO_PROMETHEUS = 'http://127.0.0.1:9';

/**
 * The cluster and Prometheus the deployment service drives: the ones configured (KUBECONFIG, PROMETHEUS_URL), or
 * the simulated cluster (state kept in the data directory) with a local `prometheus` scraping its workloads.
 */
export async function stackCluster(
  config: { KUBECONFIG?: string; PROMETHEUS_URL?: string },
  dataDir: string,
  logger: Logger,
  opts: StackClusterOptions = {},
): Promise<StackCluster> {
  const stops: (() => Promise<void>)[] = [];
  const kubeconfig = new KubeConfig();
  let scrapeTarget: string | undefined;
  let simulatedKubeconfig: string | undefined;
  if (config.KUBECONFIG) {
    kubeconfig.loadFromFile(config.KUBECONFIG);
    logger.info(
      { kubeconfig: config.KUBECONFIG, context: kubeconfig.getCurrentContext() },
      'deployment drives the cluster of KUBECONFIG',
    );
  } else {
    const sim = await startKubeSim({
      port: 0,
      stateFile: join(dataDir, 'cluster.json'),
      kubeconfigPath: join(dataDir, 'kubeconfig'),
      logger: logger.child({ part: 'kube-sim' }),
      ...(opts.behaviours ? { behaviours: opts.behaviours } : {}),
      ...(opts.timeScale ? { timeScale: opts.timeScale } : {}),
    });
    stops.push(() => sim.stop());
    kubeconfig.loadFromString(sim.kubeconfig);
    scrapeTarget = sim.metricsUrl;
    simulatedKubeconfig = join(dataDir, 'kubeconfig');
    if (await ensureDemoWorkload(kubeconfig))
      logger.info(
        DEMO_WORKLOAD,
        `simulated cluster: created the demo workload ${DEMO_WORKLOAD.namespace}/${DEMO_WORKLOAD.deployment}`,
      );
    logger.info(
      { kubeconfig: join(dataDir, 'kubeconfig') },
      `simulated Kubernetes cluster at ${sim.url} (kubectl --kubeconfig ${join(dataDir, 'kubeconfig')})`,
    );
  }

  let prometheusUrl = config.PROMETHEUS_URL;
  if (!prometheusUrl && scrapeTarget && hasBinary('prometheus')) {
    const prometheus = await startPrometheus({
      scrapeTargets: [scrapeTarget],
      scrapeIntervalSeconds: opts.scrapeIntervalSeconds ?? 5,
      waitForFirstScrape: false,
    });
    stops.push(() => prometheus.stop());
    prometheusUrl = prometheus.url;
    logger.info(`prometheus at ${prometheus.url}, scraping the simulated workloads`);
  }
  const analysis = prometheusUrl !== undefined;
  if (!prometheusUrl) {
    logger.warn(
      'no Prometheus (set PROMETHEUS_URL, or install prometheus): rollout analysis is inconclusive, so rollouts pause instead of promoting',
    );
    prometheusUrl = NO_PROMETHEUS;
  }
  return {
    kubeconfig,
    prometheusUrl,
    simulatedKubeconfig,
    analysis,
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
