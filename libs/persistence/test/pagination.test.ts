import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type {} from '@flightdeck/testing/global-setup';
import { Schema, type Model } from 'mongoose';
import { databaseUri } from '@flightdeck/testing';
import { connectMongo, InvalidCursorError, paginate, type MongoConnection } from '../src/index.js';

interface Feature {
  title: string;
  priority: number;
  team: string;
}

let mongo: MongoConnection;
let Features: Model<Feature>;
const all: Array<{ title: string; priority: number; team: string }> = [];

beforeAll(async () => {
  mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), 'pagination') });
  Features = mongo.connection.model<Feature>(
    'Feature',
    new Schema<Feature>({ title: String, priority: Number, team: String }),
  );
  // Priorities repeat, so pages must break ties by _id to neither skip nor repeat.
  for (let i = 0; i < 25; i++)
    all.push({ title: `f${String(i).padStart(2, '0')}`, priority: i % 4, team: i % 2 ? 'core' : 'edge' });
  await Features.insertMany(all);
});
afterAll(async () => {
  await mongo?.close();
});

const titles = (page: { edges: Array<{ node: { title: string } }> }) => page.edges.map((e) => e.node.title);

describe('paginate', () => {
  it('walks forward through every document exactly once in (field, _id) order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: Awaited<ReturnType<typeof paginate<Feature>>> = await paginate(
        Features,
        { first: 10, after },
        { sortBy: 'priority' },
      );
      seen.push(...titles(page));
      expect(page.pageInfo.hasPreviousPage).toBe(pages > 0);
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      expect(pages).toBeLessThan(5);
    }
    expect(pages).toBe(3);
    const expected = await Features.find().sort({ priority: 1, _id: 1 }).lean();
    expect(seen).toEqual(expected.map((f) => f.title));
  });

  it('walks backward with last/before and descending order', async () => {
    const first = await paginate(Features, { last: 5 }, { sortBy: 'priority', direction: 'desc' });
    const expected = (await Features.find().sort({ priority: -1, _id: -1 }).lean()).map((f) => f.title);
    expect(titles(first)).toEqual(expected.slice(20));
    expect(first.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const earlier = await paginate(
      Features,
      { last: 5, before: first.pageInfo.startCursor },
      { sortBy: 'priority', direction: 'desc' },
    );
    expect(titles(earlier)).toEqual(expected.slice(15, 20));
    expect(earlier.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  it('applies a filter and defaults to _id order', async () => {
    const page = await paginate(Features, { first: 100 }, { filter: { team: 'core' } });
    expect(titles(page)).toEqual(all.filter((f) => f.team === 'core').map((f) => f.title));
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    const empty = await paginate(Features, { first: 5 }, { filter: { team: 'nobody' } });
    expect(empty).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it('rejects bad arguments and foreign cursors with a clear error', async () => {
    await expect(paginate(Features, { first: 1, last: 1 })).rejects.toThrow(/not both/);
    await expect(paginate(Features, { first: 500 })).rejects.toThrow(/first must be an integer from 0 to 100, got 500/);
    await expect(paginate(Features, { first: 1, after: 'garbage!' })).rejects.toThrow(InvalidCursorError);
    const byId = await paginate(Features, { first: 1 });
    await expect(
      paginate(Features, { first: 1, after: byId.pageInfo.endCursor }, { sortBy: 'priority' }),
    ).rejects.toThrow(/another ordering/);
  });
});
