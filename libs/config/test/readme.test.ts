import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { authEnv, envMarkdownTable, httpEnv, loggingEnv, mongoEnv, natsEnv, shutdownEnv } from '../src/index.js';

describe('README', () => {
  it('lists the shared variables as the code describes them', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = envMarkdownTable(
      z.object({ ...httpEnv, ...loggingEnv, ...mongoEnv, ...natsEnv, ...authEnv, ...shutdownEnv }),
    );
    expect(readme).toContain(table);
  });
});
