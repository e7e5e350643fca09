export { parseUnderContract, ContractBroken, HANG_CPU_MS, parsers } from './contract.js';
export { bombs, garbage, mutated, type Format } from './hostile.js';
export { FORMATS, KINDS, newTally, parserProperty, validReports, type Kind, type Tally } from './properties.js';
