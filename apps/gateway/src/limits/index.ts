export { depthLimitRule } from './depth-limit.js';
export { costLimitPlugin, operationCost } from './cost-limit.js';
export { jsonDepth, jsonDepthLimit, MAX_JSON_DEPTH } from './json-depth.js';
