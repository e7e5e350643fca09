/**
 * Where the conformance run and the mongoose suite go: a given MongoDB (MONGODB_URI),
 * otherwise a fresh in-memory embedded server started for the run.
 */
import { startMongoServer } from '../index.js';

export interface MongoTarget {
  /** Connection string without a database name. */
  uri: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function startTarget(external = process.env.MONGODB_URI): Promise<MongoTarget> {
  if (external) return { uri: external.replace(/\/+$/, ''), embedded: false, stop: async () => {} };
  const server = await startMongoServer({ port: 0 });
  return { uri: server.uri.replace(/\/+$/, ''), embedded: true, stop: () => server.stop() };
}

/** A database URI of its own for one test, so tests never see each other's data. */
export function databaseUri(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40)}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  return url.toString();
}
