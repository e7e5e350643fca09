import { createTokenVerifier, type TokenVerifier } from '@flightdeck/auth';
import { composeSupergraph, createGatewayService, type GatewayService } from '@flightdeck/gateway';
import { createLogger, createMetrics } from '@flightdeck/telemetry';

export interface TestGateway {
  gateway: GatewayService;
  /** The gateway's /graphql. */
  url: string;
  stop(): Promise<void>;
}

/**
 * A real gateway in front of running subgraphs, its supergraph composed from their schema files (paths absolute, or
 * relative to `root`), verifying tokens signed with `secret` (or by `verifier`).
 */
export async function startTestGateway(
  subgraphs: { name: string; schema: string; url: string }[],
  auth: { secret: string } | { verifier: TokenVerifier },
  opts: { root?: string; maxBodyBytes?: number } = {},
): Promise<TestGateway> {
  const composed = composeSupergraph(subgraphs, opts.root ?? '/');
  if (!composed.ok) throw new Error(composed.errors.join('\n'));
  const verifier = 'verifier' in auth ? auth.verifier : createTokenVerifier({ secret: auth.secret });
  const gateway = createGatewayService({
    supergraphSdl: composed.supergraphSdl,
    verifier,
    logger: createLogger({ service: 'gateway', level: 'silent' }),
    metrics: createMetrics({ service: 'gateway' }),
    ...(opts.maxBodyBytes ? { limits: { maxBodyBytes: opts.maxBodyBytes } } : {}),
  });
  const { graphqlUrl } = await gateway.listen(0);
  return { gateway, url: graphqlUrl, stop: () => gateway.close() };
}
