export interface MongoHandle {
  /** A connection string without a database name; append `/<db>` per test file. */
  uri: string;
  stop(): Promise<void>;
}

/** The MongoDB at MONGODB_URI when set, otherwise a fresh in-memory embedded MongoDB-wire server. */
export async function startMongo(opts: { dbpath?: string } = {}): Promise<MongoHandle> {
  const external = process.env.MONGODB_URI;
  if (external) return { uri: external.replace(/\/+$/, ''), stop: async () => {} };
  const { startMongoServer } = await import('@flightdeck/mongo-server');
  const server = await startMongoServer({ port: 0, dbpath: opts.dbpath });
  return { uri: server.uri.replace(/\/+$/, ''), stop: () => server.stop() };
}

/** A database URI unique to one test file or case, so tests never see each other's data. */
export function databaseUri(baseUri: string, name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 50);
  const url = new URL(baseUri);
  url.pathname = `/${safe}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  return url.toString();
}
