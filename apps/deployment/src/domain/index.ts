export * from './analysis.js';
export * from './apply.js';
export * from './conditions.js';
export * from './decide.js';
export * from './rollout.js';
export * from './templates.js';
export * from './health.js';
export * from './validation.js';
