import { fileURLToPath } from 'node:url';

// Both src/ and dist/ sit directly under apps/gateway, so these resolve the same from either.
export const gatewayDir = fileURLToPath(new URL('../', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const defaultSubgraphListPath = fileURLToPath(new URL('../subgraphs.json', import.meta.url));
export const defaultSupergraphPath = fileURLToPath(new URL('../supergraph.graphql', import.meta.url));
