import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Both src/ and dist/ sit directly under apps/gateway, so these resolve the same from either.
export const gatewayDir = fileURLToPath(new URL('../', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const defaultSubgraphListPath = fileURLToPath(new URL('../subgraphs.json', import.meta.url));
export const defaultSupergraphPath = fileURLToPath(new URL('../supergraph.graphql', import.meta.url));

/**
 * The built console: apps/console/dist in a checkout, else dist/console beside the gateway's bundle (the gateway's
 * build copies it there, so its image carries it). Undefined when neither has an index.html.
 */
export function defaultConsoleDir(): string | undefined {
  return [join(repoRoot, 'apps/console/dist'), join(gatewayDir, 'dist/console')].find((dir) =>
    existsSync(join(dir, 'index.html')),
  );
}
