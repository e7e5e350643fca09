import { Long, UUID, type Document } from 'bson';
import { MAX_BSON_OBJECT_SIZE, MAX_MESSAGE_SIZE, MAX_WRITE_BATCH_SIZE } from '../wire/limits.js';
import type { CommandContext, CommandHandler } from './context.js';

/** MongoDB 7.0: inside what the mongodb 7.x driver accepts (wire versions 9-29). */
export const MAX_WIRE_VERSION = 21;
export const SERVER_VERSION = '7.0.0';

function hello(ctx: CommandContext, legacy: boolean): Document {
  return {
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    helloOk: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
}

export const handshakeCommands: Record<string, CommandHandler> = {
  hello: (ctx) => hello(ctx, false),
  isMaster: (ctx) => hello(ctx, true),
  ismaster: (ctx) => hello(ctx, true),
  ping: () => ({ ok: 1 }),
  buildInfo: () => ({
    version: SERVER_VERSION,
    versionArray: [7, 0, 0, 0],
    gitVersion: 'flightdeck-mongo-server',
    bits: 64,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    storageEngines: ['flightdeck'],
    javascriptEngine: 'none',
    ok: 1,
  }),
  getParameter: (ctx) => {
    const out: Document = { ok: 1 };
    const all = ctx.body.getParameter === '*';
    if (all || ctx.body.featureCompatibilityVersion) out.featureCompatibilityVersion = { version: '7.0' };
    return out;
  },
  endSessions: () => ({ ok: 1 }),
  killAllSessions: () => ({ ok: 1 }),
  refreshSessions: () => ({ ok: 1 }),
  // Drivers make their own lsids; this server accepts any, so a session is only an id handed out.
  startSession: () => ({ id: { id: new UUID() }, timeoutMinutes: 30, ok: 1 }),
  whatsmyuri: () => ({ you: '127.0.0.1', ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  hostInfo: () => ({
    system: { currentTime: new Date(), hostname: '127.0.0.1' },
    os: { type: process.platform },
    extra: {},
    ok: 1,
  }),
  getCmdLineOpts: (ctx) => ({
    argv: ['flightdeck-mongo-server'],
    parsed: { net: { port: ctx.state.port }, storage: { dbPath: ctx.state.dbpath ?? '' } },
    ok: 1,
  }),
  serverStatus: (ctx) => ({
    host: '127.0.0.1',
    version: SERVER_VERSION,
    process: 'flightdeck-mongo-server',
    pid: Long.fromNumber(process.pid),
    uptime: (Date.now() - ctx.state.startedAt.getTime()) / 1000,
    localTime: new Date(),
    connections: { current: ctx.state.connections(), available: 1000 },
    metrics: { cursor: { open: { total: ctx.state.cursors.size } } },
    ok: 1,
  }),
};
