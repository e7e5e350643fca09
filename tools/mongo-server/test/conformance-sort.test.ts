/**
 * The driver sends `sort` as a Map (it keeps key order); the runner must read it as the document it is, or the
 * spec's command expectations with a sort fail although the server got the sort (findOne with sort and skip).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runConformance } from '../src/conformance/runner.js';

const documents = [
  { _id: 1, x: 11 },
  { _id: 2, x: 22 },
  { _id: 3, x: 33 },
];
const started = (command: Record<string, unknown>, commandName: string) => ({
  commandStartedEvent: { command, commandName, databaseName: 'sort-tests' },
});

const suite = {
  description: 'sort in command expectations',
  schemaVersion: '1.0',
  createEntities: [
    { client: { id: 'client0', observeEvents: ['commandStartedEvent'] } },
    { database: { id: 'db0', client: 'client0', databaseName: 'sort-tests' } },
    { collection: { id: 'coll0', database: 'db0', collectionName: 'coll0' } },
  ],
  initialData: [{ collectionName: 'coll0', databaseName: 'sort-tests', documents }],
  tests: [
    {
      description: 'findOne with sort and skip',
      operations: [
        {
          object: 'coll0',
          name: 'findOne',
          arguments: { filter: { _id: { $gt: 0 } }, sort: { _id: -1 }, skip: 1 },
          expectResult: { _id: 2, x: 22 },
        },
      ],
      expectEvents: [
        {
          client: 'client0',
          events: [
            started(
              { find: 'coll0', filter: { _id: { $gt: 0 } }, sort: { _id: -1 }, skip: 1, limit: 1, singleBatch: true },
              'find',
            ),
          ],
        },
      ],
    },
    {
      description: 'find with sort, skip and limit',
      operations: [
        {
          object: 'coll0',
          name: 'find',
          arguments: { filter: {}, sort: { x: -1 }, skip: 1, limit: 1 },
          expectResult: [{ _id: 2, x: 22 }],
        },
      ],
      expectEvents: [
        {
          client: 'client0',
          events: [started({ find: 'coll0', filter: {}, sort: { x: -1 }, skip: 1, limit: 1 }, 'find')],
        },
      ],
    },
    {
      description: 'findOneAndUpdate with sort',
      operations: [
        {
          object: 'coll0',
          name: 'findOneAndUpdate',
          arguments: { filter: {}, sort: { x: -1 }, update: { $inc: { x: 1 } } },
          expectResult: { _id: 3, x: 33 },
        },
      ],
      expectEvents: [
        {
          client: 'client0',
          events: [
            started(
              { findAndModify: 'coll0', query: {}, sort: { x: -1 }, update: { $inc: { x: 1 } } },
              'findAndModify',
            ),
          ],
        },
      ],
      outcome: [
        {
          collectionName: 'coll0',
          databaseName: 'sort-tests',
          documents: [
            { _id: 1, x: 11 },
            { _id: 2, x: 22 },
            { _id: 3, x: 34 },
          ],
        },
      ],
    },
    {
      description: 'a sort that differs from the expected one still fails',
      operations: [
        {
          object: 'coll0',
          name: 'findOne',
          arguments: { filter: {}, sort: { x: 1 } },
          expectResult: { _id: 1, x: 11 },
        },
      ],
      expectEvents: [{ client: 'client0', events: [started({ find: 'coll0', sort: { x: -1 } }, 'find')] }],
    },
  ],
};

describe('the conformance runner with a sort in command expectations', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('matches the sort the driver sent (a Map) as a document, and still reports a wrong one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'conformance-sort-'));
    await writeFile(join(dir, 'sort.json'), JSON.stringify(suite));
    const summary = await runConformance(dir, { timeoutMs: 15_000 });
    const status = Object.fromEntries(
      summary.results.map((r) => [r.description, r.status === 'failed' ? `failed: ${r.reason}` : r.status]),
    );
    expect(status).toEqual({
      'findOne with sort and skip': 'passed',
      'find with sort, skip and limit': 'passed',
      'findOneAndUpdate with sort': 'passed',
      'a sort that differs from the expected one still fails': expect.stringMatching(
        /^failed: .*command\.sort\.x: expected -1, got 1/,
      ),
    });
  }, 60_000);
});
