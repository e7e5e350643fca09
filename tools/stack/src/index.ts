export { startStack, type RunningStack } from './stack.js';
export { stackConfigSchema, type StackConfig } from './config.js';
export { services, type ServiceEntry, type EmbeddedServiceDeps } from './services.js';
export { ensureConsoleBuilt, consoleDir } from './console-build.js';
export { createWorkloads } from './demo/workloads.js';
