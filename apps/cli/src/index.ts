export { EXIT } from './exit-codes.js';
export { expandGlob, globToRegExp } from './glob.js';
export { parseDuration } from './duration.js';
export { formatGate, type GateReport } from './table.js';
