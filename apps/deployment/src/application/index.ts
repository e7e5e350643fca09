export * from './ports.js';
export * from './target-errors.js';
export * from './events.js';
export * from './rollout-commands.js';
export * from './rollout-controller.js';
export * from './rollout-metrics.js';
export * from './health-advice.js';
