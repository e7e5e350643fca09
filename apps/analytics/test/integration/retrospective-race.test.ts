// Brings in the typing of inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@flightdeck/events';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { databaseUri } from '@flightdeck/testing';
import { ConflictError, RuleError } from '@flightdeck/kernel';
import { MemoryProjectionStore } from '../../src/adapters/memory/memory-projection-store.js';
import { MongoRetrospectiveStore, retrospectiveModel } from '../../src/adapters/mongo/mongo-retrospective-store.js';
import type { RetrospectiveStore } from '../../src/application/ports.js';
import { Retrospectives } from '../../src/application/retrospectives.js';
import { newRetrospective, type Retrospective } from '../../src/domain/retrospective.js';

/** The real store, with a hook that runs once right after the next read: another person's write lands between a change's read and its write. */
class RacingStore implements RetrospectiveStore {
  private hook: (() => Promise<unknown>) | undefined;
  constructor(private readonly inner: MongoRetrospectiveStore) {}
  between(write: () => Promise<unknown>): void {
    this.hook = write;
  }
  async find(releaseId: string) {
    const read = await this.inner.find(releaseId);
    const write = this.hook;
    this.hook = undefined;
    await write?.();
    return read;
  }
  create = (r: Retrospective) => this.inner.create(r);
  save = (r: Retrospective, revision: number, outbox?: CloudEvent[]) => this.inner.save(r, revision, outbox);
  open = () => this.inner.open();
}

let mongo: MongoConnection;
let store: MongoRetrospectiveStore;
let racing: RacingStore;
let mine: Retrospectives;
let theirs: Retrospectives;
const now = new Date('2026-03-31T00:00:00Z');
const clock = { now: () => now };
const dora = { by: 'dora', byName: 'Dora Developer' };
const sam = { by: 'sam' };

beforeAll(async () => {
  mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), 'analytics-retro-race'), retries: 2 });
  const model = retrospectiveModel(mongo.connection);
  await model.init();
  store = new MongoRetrospectiveStore(model);
  racing = new RacingStore(store);
  const projections = new MemoryProjectionStore();
  mine = new Retrospectives({ store: racing, projections, clock, newId: randomUUID });
  theirs = new Retrospectives({ store, projections, clock, newId: randomUUID });
});

afterAll(async () => {
  await mongo?.close();
});

async function retrospective(): Promise<string> {
  const releaseId = randomUUID();
  await store.create(newRetrospective({ id: randomUUID(), releaseId, by: 'dora', at: now }));
  return releaseId;
}

const item = (text: string) => ({ stage: 'GATHER_DATA' as const, kind: 'TO_IMPROVE' as const, text });

describe("a retrospective change racing another person's", () => {
  it('without expectedRevision is re-read and re-applied: both items are kept', async () => {
    const releaseId = await retrospective();
    racing.between(() => theirs.addItem(sam, releaseId, item('alerts came late')));
    const saved = await mine.addItem(dora, releaseId, item('rollback took 30 minutes'));
    expect(saved.revision).toBe(2);
    const stored = (await store.find(releaseId))!;
    expect(stored.retrospective.items.map((i) => [i.by, i.text])).toEqual([
      ['sam', 'alerts came late'],
      ['dora', 'rollback took 30 minutes'],
    ]);
  });

  it('with an expectedRevision is a CONFLICT, and the change is not stored', async () => {
    const releaseId = await retrospective();
    racing.between(() => theirs.addItem(sam, releaseId, item('alerts came late')));
    const change = mine.addItem(dora, releaseId, item('rollback took 30 minutes'), 0);
    await expect(change).rejects.toBeInstanceOf(ConflictError);
    expect((await store.find(releaseId))!.retrospective.items.map((i) => i.text)).toEqual(['alerts came late']);
  });

  it('without expectedRevision still fails when its rule no longer holds: the retrospective was completed meanwhile', async () => {
    const releaseId = await retrospective();
    racing.between(() => theirs.complete(sam, releaseId));
    const change = mine.addItem(dora, releaseId, item('too late'));
    await expect(change).rejects.toBeInstanceOf(RuleError);
    await expect(change).rejects.toThrow('it takes no more changes');
  });
});
