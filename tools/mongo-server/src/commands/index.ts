import type { Document } from 'bson';
import { CommandError, ErrorCodes, toCommandError } from '../errors.js';
import { aggregate } from './aggregate.js';
import type { CommandContext, CommandHandler, ServerState } from './context.js';
import { explain } from './explain.js';
import { findAndModify } from './find-and-modify.js';
import { handshakeCommands } from './handshake.js';
import { indexCommands } from './indexes.js';
import { namespaceCommands } from './namespaces.js';
import { readCommands } from './reads.js';
import { writeCommands } from './writes.js';

const handlers: Record<string, CommandHandler> = {
  ...handshakeCommands,
  ...namespaceCommands,
  ...indexCommands,
  ...readCommands,
  ...writeCommands,
  findAndModify,
  findandmodify: findAndModify,
  aggregate,
  explain,
};

/** Commands that change data: their reply waits until the change is durable. */
const WRITES = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'create',
  'drop',
  'dropDatabase',
  'createIndexes',
  'dropIndexes',
  'aggregate',
]);

const TRANSACTION_FIELDS = ['txnNumber', 'startTransaction', 'autocommit'];

/** Collations other than 'simple' would change comparisons; refuse them rather than ignore them. */
function checkNoCollation(body: Document): void {
  const specs = [
    body.collation,
    ...['updates', 'deletes', 'indexes'].flatMap((f) =>
      Array.isArray(body[f]) ? (body[f] as Document[]).map((s) => s?.collation) : [],
    ),
  ];
  for (const spec of specs) {
    if (spec !== undefined && spec !== null && !(typeof spec === 'object' && (spec as Document).locale === 'simple')) {
      throw new CommandError(
        ErrorCodes.NotImplemented,
        "collation is not supported by this server (only { locale: 'simple' }, binary comparison)",
      );
    }
  }
}

export interface Request {
  body: Document;
  db?: string;
  connectionId: number;
  messageLength: number;
}

/** Run one command and answer as mongod does: a reply document, `ok: 0` with MongoDB's error shape on failure. */
export async function runCommand(state: ServerState, req: Request): Promise<Document> {
  const name = Object.keys(req.body)[0];
  try {
    if (!name)
      throw new CommandError(
        ErrorCodes.FailedToParse,
        'empty command: the first field of a command document names the command',
      );
    const db = req.db ?? req.body.$db;
    if (typeof db !== 'string')
      throw new CommandError(
        ErrorCodes.InvalidNamespace,
        `command ${name} is missing the '$db' field naming its database`,
      );
    if (TRANSACTION_FIELDS.some((f) => req.body[f] !== undefined)) {
      throw new CommandError(
        ErrorCodes.IllegalOperation,
        'Transaction numbers are only allowed on a replica set member or mongos',
      );
    }
    checkNoCollation(req.body);
    const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
    if (!handler) throw new CommandError(ErrorCodes.CommandNotFound, `no such command: '${name}'`);
    const ctx: CommandContext = {
      name,
      db,
      body: req.body,
      state,
      connectionId: req.connectionId,
      messageLength: req.messageLength,
    };
    const reply = await handler(ctx);
    if (WRITES.has(name)) await state.catalog.commit();
    return reply;
  } catch (err) {
    const e = toCommandError(err);
    if (!(err instanceof CommandError))
      state.logger.warn({ err, command: name }, 'command failed with an unexpected error');
    if (WRITES.has(name)) await state.catalog.commit().catch(() => undefined);
    return e.toReply();
  }
}
