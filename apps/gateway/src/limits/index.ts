export { depthLimitRule } from './depth-limit.js';
export { costLimitPlugin, costDependsOnVariables, operationCost, OperationCostCache } from './cost-limit.js';
