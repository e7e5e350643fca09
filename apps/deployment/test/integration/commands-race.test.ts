// Brings in the typing of inject('mongoUri') provided by the global setup.
import type {} from '@flightdeck/testing/global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@flightdeck/events';
import { connectMongo, type MongoConnection } from '@flightdeck/persistence';
import { databaseUri } from '@flightdeck/testing';
import { RuleError } from '@flightdeck/kernel';
import { MongoRolloutRepository } from '../../src/adapters/mongo/mongo-rollout-repository.js';
import { rolloutModel } from '../../src/adapters/mongo/rollout-model.js';
import type { PageRequest, RolloutFilter, RolloutRepository, RolloutTarget } from '../../src/application/ports.js';
import { RolloutCommands } from '../../src/application/rollout-commands.js';
import { applyAction, createRollout, decide, type Rollout, type RolloutTargetRef } from '../../src/domain/index.js';

/** The real repository, with a hook that runs once right after the next read: the controller's write lands between a person's read and write. */
class RacingRepository implements RolloutRepository {
  private hook: (() => Promise<unknown>) | undefined;
  constructor(private readonly inner: MongoRolloutRepository) {}
  between(write: () => Promise<unknown>): void {
    this.hook = write;
  }
  async get(id: string) {
    const read = await this.inner.get(id);
    const write = this.hook;
    this.hook = undefined;
    await write?.();
    return read;
  }
  insert = (r: Rollout, events: CloudEvent[]) => this.inner.insert(r, events);
  save = (r: Rollout, revision: number, events: CloudEvent[]) => this.inner.save(r, revision, events);
  active = () => this.inner.active();
  watchingAlerts = () => this.inner.watchingAlerts();
  bakingFor = (t: RolloutTargetRef) => this.inner.bakingFor(t);
  unfinishedFor = (t: RolloutTargetRef) => this.inner.unfinishedFor(t);
  list = (f: RolloutFilter, p: PageRequest) => this.inner.list(f, p);
  unfinishedOrCompletedSince = (since: Date) => this.inner.unfinishedOrCompletedSince(since);
}

let mongo: MongoConnection;
let rollouts: MongoRolloutRepository;
let racing: RacingRepository;
let commands: RolloutCommands;
const now = new Date('2026-01-01T00:00:00Z');
const clock = { now: () => now };
const unused = {} as RolloutTarget;

beforeAll(async () => {
  mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), 'deployment-race'), retries: 2 });
  const model = rolloutModel(mongo.connection);
  await model.init();
  rollouts = new MongoRolloutRepository(model);
  racing = new RacingRepository(rollouts);
  commands = new RolloutCommands({
    rollouts: racing,
    target: unused,
    clearance: { clearance: async () => ({ cleared: true, reason: '' }) },
    clock,
    newId: randomUUID,
  });
});

afterAll(async () => {
  await mongo?.close();
});

async function rollout(): Promise<string> {
  const r = createRollout(
    {
      id: randomUUID(),
      releaseId: 'rel',
      environment: 'production',
      target: { cluster: '', namespace: 'shop', deployment: `web-${randomUUID().slice(0, 6)}`, container: 'app' },
      image: 'shop/web:2.0.0',
      strategy: 'CANARY',
      createdBy: { subject: 'sam', name: 'Sam SRE' },
    },
    { image: 'shop/web:1.0.0', replicas: 4 },
    now,
  );
  await rollouts.insert(r, []);
  return r.id;
}

/** What the controller does in one step: decide on what is stored and save the result at that revision. */
async function controllerStep(id: string): Promise<void> {
  const stored = (await rollouts.get(id))!;
  const observation = {
    stable: { image: 'shop/web:1.0.0', replicas: 4, ready: 4, updated: 4, observed: true, deadlineExceeded: false },
  };
  const change = applyAction(stored.rollout, decide(stored.rollout, observation, now), now);
  await rollouts.save(change.rollout, stored.revision, []);
}

describe("a person's change racing the controller", () => {
  it('is re-applied to the rollout as the controller left it: the abort and the started step both stand', async () => {
    const id = await rollout();
    racing.between(() => controllerStep(id));
    const aborted = await commands.abort(id, 'customer reports', { by: 'sam', byName: 'Sam SRE' });
    expect(aborted.rollout.abortRequest).toMatchObject({ by: 'sam', byName: 'Sam SRE', reason: 'customer reports' });
    expect(aborted.rollout.stepStates[0]!.status).toBe('RUNNING');
    expect((await rollouts.get(id))!.revision).toBe(2);
  });

  it('still fails when its rule no longer holds on the rollout as it is now', async () => {
    const id = await rollout();
    racing.between(() => commands.abort(id, 'first abort', { by: 'rita' }).then(() => controllerStep(id)));
    const late = commands.abort(id, 'second abort', { by: 'sam' });
    await expect(late).rejects.toBeInstanceOf(RuleError);
    await expect(late).rejects.toThrow('is ROLLING_BACK: there is nothing left to abort');
  });
});
