export * from './criteria.js';
export * from './evidence.js';
export * from './gate-definition.js';
export * from './templates.js';
export * from './approvals.js';
export * from './slo.js';
export * from './evaluation.js';
export * from './readiness.js';
