import net from 'node:net';
import { ObjectId } from 'bson';
import pino, { type Logger } from 'pino';
import type { ServerState } from './commands/context.js';
import { serveConnection } from './connection.js';
import { CursorStore } from './cursors.js';
import { lockDataDirectory } from './lock-file.js';
import { Catalog } from './storage/catalog.js';
import { DurableLog } from './storage/durable-log.js';
import { startTtlMonitor } from './ttl.js';

export interface MongoServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Interface to listen on; 127.0.0.1 by default (0.0.0.0 serves other hosts, e.g. containers on one network). */
  host?: string;
  /** Keep data in this directory (fsynced before each write is acknowledged); in memory when absent. */
  dbpath?: string;
  logger?: Logger;
  /** How often expired TTL documents are removed; mongod uses 60 s. */
  ttlIntervalMs?: number;
  /** Idle cursors are closed after this long; mongod uses 10 minutes. */
  cursorTimeoutMs?: number;
  /** The log is compacted once it grows past this size and twice the live data. */
  compactMinBytes?: number;
}

export interface MongoServer {
  /** `mongodb://HOST:PORT` (127.0.0.1 when listening on every interface) */
  uri: string;
  port: number;
  stop(): Promise<void>;
}

export async function startMongoServer(opts: MongoServerOptions = {}): Promise<MongoServer> {
  const logger = opts.logger ?? pino({ name: 'mongo-server', level: process.env.MONGO_SERVER_LOG_LEVEL ?? 'warn' });
  const catalog = new Catalog();
  let unlock: (() => void) | undefined;
  if (opts.dbpath) {
    unlock = lockDataDirectory(opts.dbpath);
    try {
      const started = Date.now();
      const { log, report } = DurableLog.open(opts.dbpath, {
        logger,
        apply: (op) => catalog.apply(op),
        snapshot: () => catalog.snapshot(),
        compactMinBytes: opts.compactMinBytes,
      });
      catalog.log = log;
      logger.info({ dbpath: opts.dbpath, ...report, ms: Date.now() - started }, 'recovered data from the durable log');
    } catch (err) {
      unlock();
      throw err;
    }
  }
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  const cursors = new CursorStore(opts.cursorTimeoutMs ?? 10 * 60_000);
  const state: ServerState = {
    catalog,
    cursors,
    logger,
    startedAt: new Date(),
    port: 0,
    dbpath: opts.dbpath,
    processId: new ObjectId(),
    connections: () => sockets.size,
  };
  let connectionIds = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, state, ++connectionIds);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger.error({ err }, 'listener error'));
  const port = (server.address() as net.AddressInfo).port;
  state.port = port;
  const stopTtl = startTtlMonitor(catalog, logger, opts.ttlIntervalMs ?? 1000);
  let stopping: Promise<void> | undefined;
  return {
    uri: `mongodb://${uriHost(host)}:${port}`,
    port,
    stop: () =>
      (stopping ??= (async () => {
        stopTtl();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await closed;
        cursors.close();
        await catalog.log?.close();
        unlock?.();
      })()),
  };
}

function uriHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return net.isIPv6(host) ? `[${host}]` : host;
}
