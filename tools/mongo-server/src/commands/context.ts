import type { Document, ObjectId } from 'bson';
import type { Logger } from 'pino';
import type { CursorStore } from '../cursors.js';
import { CommandError, ErrorCodes } from '../errors.js';
import type { Catalog } from '../storage/catalog.js';
import { checkCollectionName } from '../storage/catalog.js';
import { bsonTypeName, isPlainObject } from '../storage/values.js';

export interface ServerState {
  catalog: Catalog;
  cursors: CursorStore;
  logger: Logger;
  startedAt: Date;
  port: number;
  dbpath?: string;
  processId: ObjectId;
  connections(): number;
}

export interface CommandContext {
  /** The command's own name as sent (first key of the body). */
  name: string;
  db: string;
  body: Document;
  state: ServerState;
  connectionId: number;
  /** Size of the message on the wire; documents cannot exceed it. */
  messageLength: number;
}

export type CommandHandler = (ctx: CommandContext) => Document | Promise<Document>;

/** The collection a command names in its first field, checked. */
export function collectionArg(ctx: CommandContext): string {
  const name = ctx.body[ctx.name];
  if (typeof name !== 'string') {
    throw new CommandError(
      ErrorCodes.InvalidNamespace,
      `collection name has invalid type ${Array.isArray(name) ? 'array' : typeof name}: '${ctx.name}' needs a collection name string`,
    );
  }
  return checkCollectionName(ctx.db, name);
}

export function documentArg(body: Document, field: string, fallback?: Document): Document {
  const v = body[field];
  if (v === undefined || v === null) {
    if (fallback) return fallback;
    throw new CommandError(ErrorCodes.IDLFailedToParse, `BSON field '${field}' is missing but a required field`);
  }
  if (!isPlainObject(v))
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      `BSON field '${field}' is the wrong type '${bsonTypeName(v)}', expected type 'object'`,
    );
  return v;
}

/** A required array field of the command, named `<command>.<field>` in errors as mongod's IDL parser does. */
export function arrayArg(ctx: CommandContext, field: string): unknown[] {
  const v = ctx.body[field];
  if (v === undefined)
    throw new CommandError(
      ErrorCodes.IDLFailedToParse,
      `BSON field '${ctx.name}.${field}' is missing but a required field`,
    );
  if (!Array.isArray(v))
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      `BSON field '${ctx.name}.${field}' is the wrong type '${bsonTypeName(v)}', expected type 'array'`,
    );
  return v;
}

export function numberArg(body: Document, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const n =
    typeof v === 'number'
      ? v
      : typeof v === 'bigint'
        ? Number(v)
        : (v as { _bsontype?: string })._bsontype === 'Long'
          ? (v as { toNumber(): number }).toNumber()
          : NaN;
  if (!Number.isFinite(n))
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      `BSON field '${field}' is the wrong type '${typeof v}', expected a number`,
    );
  return n;
}
