import { describe, expect, it } from 'vitest';
import { runMongoServerBench } from '../src/mongo-server.js';

describe('mongo-server benchmark', () => {
  it('runs end to end at a tiny size: every document stored, every lookup answered with the documents asked for', async () => {
    const r = await runMongoServerBench({ docs: 2000, small: 500, large: 3000, batch: 250, lookups: 30 });
    expect(r.checks).toEqual({ stored: { memory: 2000, dbpath: 2000, growth: 3000 }, wrongAnswers: 0, grouped: 2000 });
    expect(r.group.groups).toBe(100);
  });
});
