export * from './types.js';
export * from './waves.js';
export * from './release-rollout.js';
export * from './decide.js';
export * from './apply.js';
