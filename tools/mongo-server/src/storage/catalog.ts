import { UUID, type Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';
import { Collection } from './collection.js';
import type { DurableLog, LogOp } from './durable-log.js';
import type { IndexSpec } from './secondary-index.js';

const BAD_DB_CHARS = /[/\\. "$\0]/;

export function checkDbName(db: unknown): string {
  if (typeof db !== 'string' || !db.length || BAD_DB_CHARS.test(db) || db.length > 63) {
    throw new CommandError(
      ErrorCodes.InvalidNamespace,
      `Invalid database name: '${String(db)}': a name is 1-63 characters without /\\. "$`,
    );
  }
  return db;
}

export function checkCollectionName(db: string, name: unknown): string {
  if (typeof name !== 'string' || !name.length || name.includes('\0') || name.startsWith('.') || name.includes('$')) {
    throw new CommandError(
      ErrorCodes.InvalidNamespace,
      `Invalid collection name: '${db}.${String(name)}': a name is non-empty and has no '$' or NUL`,
    );
  }
  return name;
}

/**
 * Every database and collection. Each change goes through here so that it is also appended to the
 * durable log (when there is one); `commit()` then waits until those changes are on disk.
 */
export class Catalog {
  private readonly dbs = new Map<string, Map<string, Collection>>();
  log?: DurableLog;

  private record(op: LogOp): void {
    this.log?.append(op);
  }

  commit(): Promise<void> {
    return this.log ? this.log.flush() : Promise.resolve();
  }

  databaseNames(): string[] {
    return [...this.dbs.keys()].filter((db) => this.dbs.get(db)!.size > 0);
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  get(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** The collection, created implicitly as MongoDB does on a first write. */
  ensure(db: string, name: string): { collection: Collection; created: boolean } {
    const existing = this.get(db, name);
    if (existing) return { collection: existing, created: false };
    return { collection: this.create(db, name, {}), created: true };
  }

  create(db: string, name: string, options: Document): Collection {
    checkDbName(db);
    checkCollectionName(db, name);
    if (this.get(db, name))
      throw new CommandError(ErrorCodes.NamespaceExists, `Collection ${db}.${name} already exists.`);
    const collection = new Collection(db, name, options);
    this.attach(collection);
    this.record({ o: 'createCollection', db, c: name, meta: { options, uuid: collection.uuid } });
    return collection;
  }

  private attach(collection: Collection): void {
    let colls = this.dbs.get(collection.db);
    if (!colls) this.dbs.set(collection.db, (colls = new Map()));
    colls.set(collection.name, collection);
  }

  drop(db: string, name: string): boolean {
    const dropped = this.dbs.get(db)?.delete(name) ?? false;
    if (dropped) this.record({ o: 'dropCollection', db, c: name });
    return dropped;
  }

  dropDatabase(db: string): void {
    if (this.dbs.delete(db)) this.record({ o: 'dropDatabase', db });
  }

  createIndex(collection: Collection, spec: IndexSpec): void {
    collection.createIndex(spec);
    this.record({ o: 'createIndex', db: collection.db, c: collection.name, meta: spec });
  }

  dropIndex(collection: Collection, name: string): void {
    collection.dropIndex(name);
    this.record({ o: 'dropIndex', db: collection.db, c: collection.name, meta: { name } });
  }

  insert(collection: Collection, doc: Document): void {
    collection.checkValidator(doc);
    collection.insert(doc);
    this.record({ o: 'put', db: collection.db, c: collection.name, docs: [doc] });
  }

  replace(collection: Collection, oldDoc: Document, newDoc: Document): void {
    collection.checkValidator(newDoc, oldDoc);
    collection.replace(oldDoc, newDoc);
    this.record({ o: 'put', db: collection.db, c: collection.name, docs: [newDoc] });
  }

  remove(collection: Collection, doc: Document): void {
    if (collection.remove(doc)) this.record({ o: 'remove', db: collection.db, c: collection.name, docs: [doc] });
  }

  /** Replay one logged op during recovery (or from a snapshot), without logging it again. */
  apply(op: LogOp): void {
    switch (op.o) {
      case 'createCollection':
        if (!this.get(op.db, op.c))
          this.attach(
            new Collection(op.db, op.c, op.meta.options ?? {}, op.meta.uuid instanceof UUID ? op.meta.uuid : undefined),
          );
        return;
      case 'dropCollection':
        this.dbs.get(op.db)?.delete(op.c);
        return;
      case 'dropDatabase':
        this.dbs.delete(op.db);
        return;
      case 'createIndex':
        this.ensureForReplay(op.db, op.c).createIndex(op.meta as IndexSpec);
        return;
      case 'dropIndex':
        this.get(op.db, op.c)?.dropIndex(String(op.meta.name));
        return;
      case 'put': {
        const collection = this.ensureForReplay(op.db, op.c);
        for (const doc of op.docs) collection.put(doc);
        return;
      }
      case 'remove': {
        const collection = this.get(op.db, op.c);
        for (const doc of op.docs) collection?.remove(doc);
        return;
      }
    }
  }

  private ensureForReplay(db: string, name: string): Collection {
    let collection = this.get(db, name);
    if (!collection) this.attach((collection = new Collection(db, name)));
    return collection;
  }

  /** The whole live state as ops, for log compaction. */
  *snapshot(): Generator<LogOp> {
    for (const [db, colls] of this.dbs) {
      for (const collection of colls.values()) {
        yield {
          o: 'createCollection',
          db,
          c: collection.name,
          meta: { options: collection.options, uuid: collection.uuid },
        };
        for (const index of collection.indexes.values())
          yield { o: 'createIndex', db, c: collection.name, meta: index.spec };
        let docs: Document[] = [];
        for (const doc of collection.documents()) {
          docs.push(doc);
          if (docs.length === 1000) {
            yield { o: 'put', db, c: collection.name, docs };
            docs = [];
          }
        }
        if (docs.length) yield { o: 'put', db, c: collection.name, docs };
      }
    }
  }
}
