export { depthLimitRule } from './depth-limit.js';
export { costLimitPlugin, costDependsOnVariables, operationCost, OperationCostCache } from './cost-limit.js';
export { jsonDepth, jsonDepthLimit, MAX_JSON_DEPTH } from './json-depth.js';
