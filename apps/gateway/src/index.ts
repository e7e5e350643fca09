export {
  createGatewayService,
  defaultLimits,
  type GatewayDeps,
  type GatewayLimits,
  type GatewayService,
  type GatewayContext,
} from './service.js';
export { composeSupergraph, type CompositionOutcome } from './composition.js';
export { readSubgraphList, subgraphUrlVariable, SubgraphListError, type SubgraphEntry } from './subgraph-list.js';
export { supergraphSubgraphs } from './supergraph.js';
export { gatewayConfigSchema, gatewayEnvShape, subgraphUrlOverrides } from './config.js';
export {
  depthLimitRule,
  costLimitPlugin,
  costDependsOnVariables,
  operationCost,
  OperationCostCache,
} from './limits/index.js';
export { rateLimit, defaultRateLimit, type RateLimitSettings } from './rate-limit.js';
export { defaultConsoleDir, defaultSubgraphListPath, defaultSupergraphPath } from './paths.js';
