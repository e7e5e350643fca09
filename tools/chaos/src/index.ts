export { runChaos, type ChaosOptions, type ChaosReport } from './run.js';
export { summarize } from './summary.js';
export { DEFAULT_SCALE, type FaultScale, type FaultRecord } from './faults.js';
export { seededRandom, type Random } from './random.js';
export { differences } from './replay.js';
