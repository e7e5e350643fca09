export * from './ports.js';
export * from './events.js';
export * from './release-planning.js';
export * from './release-signals.js';
export * from './release-insights.js';
export * from './code-freeze.js';
