/**
 * Vitest global setup shared by every project whose tests need real infrastructure:
 * a real `nats-server -js` on a free port with its own store, and the embedded MongoDB-wire
 * server (or the MongoDB at MONGODB_URI when set). Tests read the addresses with `inject()`.
 */
import type { TestProject } from 'vitest/node';
import { startNatsServer } from './nats-server.js';
import { startMongo } from './mongo.js';

declare module 'vitest' {
  export interface ProvidedContext {
    natsUrl: string;
    mongoUri: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const nats = await startNatsServer();
  const mongo = await startMongo();
  project.provide('natsUrl', nats.url);
  project.provide('mongoUri', mongo.uri);
  return async () => {
    await mongo.stop();
    await nats.stop();
  };
}
