import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmePath, readmeWithEnvTables } from '../src/env-docs.js';

describe('README configuration tables', () => {
  it('list every variable of every service as its schema says (run `npm run docs:env` when this fails)', () => {
    const readme = readFileSync(readmePath, 'utf8');
    expect(readme).toBe(readmeWithEnvTables(readme));
  });

  it('name the variables the services read, with their defaults', () => {
    const readme = readFileSync(readmePath, 'utf8');
    for (const variable of [
      'MONGODB_URI',
      'NATS_URL',
      'AUTH_JWT_SECRET',
      'AI_BASE_URL',
      'SUBGRAPH_PLANNING_URL',
      'FLIGHTDECK_DATA_DIR',
    ]) {
      expect(readme).toContain(`\`${variable}\``);
    }
    expect(readme).toMatch(/\| `PORT` \| [^|]+ \| `4001` \|/);
  });
});
