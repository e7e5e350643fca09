export { depthLimitRule } from './depth-limit.js';
export { costLimitPlugin, operationCost } from './cost-limit.js';
