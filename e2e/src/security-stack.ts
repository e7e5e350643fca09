import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { startKubeSim, type KubeSim } from '@flightdeck/kube-sim';
import { databaseUri } from '@flightdeck/testing';
import { startServiceProcess, type ServiceProcess } from './processes.js';

export const SUBGRAPHS = ['planning', 'gates', 'deployment', 'analytics'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

/** The identity provider of the stack: one RS256 key, published as a JWKS over HTTP, as production runs. */
export interface IdentityProvider {
  jwksUrl: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  stop(): Promise<void>;
}

export async function startIdentityProvider(): Promise<IdentityProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'flightdeck-e2e-1';
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const server: Server = createServer((req, res) => {
    if (req.url !== '/jwks.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
    kid,
    privateKey,
    publicJwk,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface SecurityStack {
  gatewayUrl: string;
  /** Each subgraph's own GraphQL URL, to try it without the gateway. */
  subgraphUrls: Record<SubgraphName, string>;
  idp: IdentityProvider;
  stop(): Promise<void>;
}

/**
 * Every service as its own process (as production runs them) on the shared NATS JetStream and MongoDB-wire server,
 * verifying tokens against the identity provider's JWKS; deployment talks to a simulated cluster and a Prometheus
 * address nothing answers (no rollout here gets as far as analysis). `gatewayEnv` adds to the gateway's environment.
 */
export async function startSecurityStack(opts: {
  name: string;
  natsUrl: string;
  mongoUri: string;
  gatewayEnv?: Record<string, string>;
}): Promise<SecurityStack> {
  const idp = await startIdentityProvider();
  const dir = await mkdtemp(join(tmpdir(), `flightdeck-${opts.name}-`));
  const started: ServiceProcess[] = [];
  let sim: KubeSim | undefined;
  const stop = async () => {
    for (const p of started.reverse()) await p.process.stop();
    await sim?.stop();
    await idp.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    sim = await startKubeSim({ kubeconfigPath: kubeconfig });
    const auth = {
      AUTH_JWKS_URL: idp.jwksUrl,
      AUTH_ISSUER: 'flightdeck',
      AUTH_AUDIENCE: 'flightdeck',
      NATS_URL: opts.natsUrl,
    };
    const db = (service: string) => ({ MONGODB_URI: databaseUri(opts.mongoUri, `e2e_${opts.name}_${service}`) });
    const services = await Promise.allSettled([
      startServiceProcess('planning', { ...auth, ...db('planning') }),
      startServiceProcess('gates', { ...auth, ...db('gates') }),
      startServiceProcess('deployment', {
        ...auth,
        ...db('deployment'),
        KUBECONFIG: kubeconfig,
        PROMETHEUS_URL: 'http://127.0.0.1:9',
      }),
      startServiceProcess('analytics', { ...auth, ...db('analytics') }),
    ]);
    for (const s of services) if (s.status === 'fulfilled') started.push(s.value);
    const failed = services.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const [planning, gates, deployment, analytics] = started as [
      ServiceProcess,
      ServiceProcess,
      ServiceProcess,
      ServiceProcess,
    ];
    const gateway = await startServiceProcess('gateway', {
      ...auth,
      SUBGRAPH_PLANNING_URL: planning.url,
      SUBGRAPH_GATES_URL: gates.url,
      SUBGRAPH_DEPLOYMENT_URL: deployment.url,
      SUBGRAPH_ANALYTICS_URL: analytics.url,
      ...opts.gatewayEnv,
    });
    started.push(gateway);
    return {
      gatewayUrl: gateway.url,
      subgraphUrls: { planning: planning.url, gates: gates.url, deployment: deployment.url, analytics: analytics.url },
      idp,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
