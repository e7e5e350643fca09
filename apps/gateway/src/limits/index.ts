export { depthLimitRule } from './depth-limit.js';
export { costLimitRule } from './cost-limit.js';
