import mongoose, { type Connection } from 'mongoose';
import { pino, type Logger } from 'pino';

export interface ConnectMongoOptions {
  /** mongodb:// or mongodb+srv:// connection string, with the database name. */
  uri: string;
  logger?: Logger;
  /** Further attempts after the first failed one; default 10. */
  retries?: number;
  /** Delay after the first failed attempt, doubled each time up to 5 s; default 250 ms. */
  retryDelayMs?: number;
  /** How long one attempt looks for a server; default 5 s. */
  serverSelectionTimeoutMS?: number;
  appName?: string;
}

export interface MongoConnection {
  /** A connection of its own (never mongoose's global one): define models with `connection.model()`. */
  connection: Connection;
  /** True while the driver is connected: what `/readyz` reports. */
  isReady(): boolean;
  close(): Promise<void>;
}

/** The URI without its password, for logs and error messages. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):([^@/]*)@/, '//$1:***@');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens a mongoose connection, retrying with backoff while the server is not reachable yet. */
export async function connectMongo(opts: ConnectMongoOptions): Promise<MongoConnection> {
  if (!/^mongodb(\+srv)?:\/\/.+/.test(opts.uri ?? '')) {
    throw new Error(
      `MongoDB URI "${redactUri(String(opts.uri))}" is invalid: expected mongodb://host:port/database or mongodb+srv://host/database`,
    );
  }
  const logger = opts.logger ?? pino({ level: 'silent' });
  const retries = opts.retries ?? 10;
  const where = redactUri(opts.uri);
  let lastError: unknown;
  for (let attempt = 0; attempt <= retries; attempt++) {
    const connection = mongoose.createConnection(opts.uri, {
      serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 5_000,
      appName: opts.appName,
    });
    try {
      await connection.asPromise();
      // Closing it ourselves (a shutdown) disconnects it too: only a disconnection nobody asked for is a warning.
      let closing = false;
      connection.on('disconnected', () =>
        closing
          ? logger.info({ uri: where }, 'MongoDB connection closed')
          : logger.warn({ uri: where }, 'MongoDB disconnected'),
      );
      connection.on('reconnected', () => logger.info({ uri: where }, 'MongoDB reconnected'));
      logger.info({ uri: where, attempt: attempt + 1 }, 'MongoDB connected');
      return {
        connection,
        isReady: () => connection.readyState === mongoose.ConnectionStates.connected,
        close: async () => {
          closing = true;
          await connection.close();
        },
      };
    } catch (err) {
      lastError = err;
      await connection.close().catch(() => {});
      if (attempt === retries) break;
      const delay = Math.min((opts.retryDelayMs ?? 250) * 2 ** attempt, 5_000);
      logger.warn({ uri: where, attempt: attempt + 1, delayMs: delay, err }, 'MongoDB not reachable yet; retrying');
      await sleep(delay);
    }
  }
  throw new Error(
    `could not connect to MongoDB at ${where} after ${retries + 1} attempts: ${(lastError as Error)?.message ?? lastError}`,
    { cause: lastError },
  );
}
