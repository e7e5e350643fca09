import { BSON, Long, type Document } from 'bson';
import { CommandError, ErrorCodes } from './errors.js';
import { MAX_BSON_OBJECT_SIZE } from './wire/limits.js';

/** Leave room in a 16 MB reply for the envelope around the batch. */
const MAX_BATCH_BYTES = MAX_BSON_OBJECT_SIZE - 64 * 1024;
const DEFAULT_FIRST_BATCH = 101;

interface OpenCursor {
  id: bigint;
  ns: string;
  source: Iterator<Document>;
  /** A document read from the source that did not fit the previous batch. */
  carried?: Document;
  remaining: number;
  /** Never call next() again after done: some sources (mingo's $group) misbehave if asked twice. */
  exhausted?: boolean;
  lastUsed: number;
  lsid?: string;
}

export interface CursorReply {
  cursor: { id: Long; ns: string; firstBatch?: Document[]; nextBatch?: Document[] };
  ok: 1;
}

/**
 * Server-side cursors: the rest of a result set, handed out in batches by getMore, closed by
 * killCursors, when exhausted, or after `timeoutMs` without use (like mongod's 10-minute timeout).
 */
export class CursorStore {
  private readonly cursors = new Map<bigint, OpenCursor>();
  private nextId = BigInt(1 + Math.floor(Math.random() * 2 ** 40));
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly timeoutMs: number) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(timeoutMs, 60_000));
    this.sweeper.unref();
  }

  get size(): number {
    return this.cursors.size;
  }

  /** The first batch of a result; a cursor stays open only when more is left. */
  open(
    ns: string,
    source: Iterable<Document>,
    opts: { batchSize?: number; limit?: number; singleBatch?: boolean },
  ): CursorReply {
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const cursor: OpenCursor = {
      id: 0n,
      ns,
      source: source[Symbol.iterator](),
      remaining: limit,
      lastUsed: Date.now(),
    };
    const batch = this.take(cursor, opts.batchSize ?? DEFAULT_FIRST_BATCH);
    let id = 0n;
    if (!opts.singleBatch && this.hasMore(cursor)) {
      id = cursor.id = this.nextId++;
      this.cursors.set(id, cursor);
    }
    return { cursor: { firstBatch: batch, id: Long.fromBigInt(id), ns }, ok: 1 };
  }

  getMore(id: bigint, ns: string, batchSize: number | undefined): CursorReply {
    const cursor = this.cursors.get(id);
    if (!cursor) throw new CommandError(ErrorCodes.CursorNotFound, `cursor id ${id} not found`);
    if (cursor.ns !== ns)
      throw new CommandError(
        ErrorCodes.Unauthorized,
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
      );
    cursor.lastUsed = Date.now();
    const batch = this.take(cursor, batchSize ?? Infinity);
    const more = this.hasMore(cursor);
    if (!more) this.cursors.delete(id);
    return { cursor: { nextBatch: batch, id: Long.fromBigInt(more ? id : 0n), ns }, ok: 1 };
  }

  kill(ids: bigint[]): {
    cursorsKilled: Long[];
    cursorsNotFound: Long[];
    cursorsAlive: Long[];
    cursorsUnknown: Long[];
    ok: 1;
  } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.cursors.delete(id) ? killed : notFound).push(Long.fromBigInt(id));
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  /** Close the cursors of a dropped collection or database. */
  closeNamespace(prefix: string): void {
    for (const [id, c] of this.cursors) if (c.ns === prefix || c.ns.startsWith(`${prefix}.`)) this.cursors.delete(id);
  }

  private take(cursor: OpenCursor, batchSize: number): Document[] {
    const batch: Document[] = [];
    let bytes = 0;
    const max = batchSize > 0 ? batchSize : Infinity;
    while (batch.length < max && cursor.remaining > 0) {
      const doc = cursor.carried ?? this.pull(cursor);
      cursor.carried = undefined;
      if (!doc) break;
      const size = BSON.calculateObjectSize(doc);
      if (batch.length && bytes + size > MAX_BATCH_BYTES) {
        cursor.carried = doc;
        break;
      }
      batch.push(doc);
      bytes += size;
      cursor.remaining--;
    }
    return batch;
  }

  private pull(cursor: OpenCursor): Document | undefined {
    if (cursor.exhausted) return undefined;
    const next = cursor.source.next();
    if (next.done) cursor.exhausted = true;
    return next.done ? undefined : next.value;
  }

  private hasMore(cursor: OpenCursor): boolean {
    if (cursor.remaining <= 0) return false;
    if (cursor.carried) return true;
    const doc = this.pull(cursor);
    if (!doc) return false;
    cursor.carried = doc;
    return true;
  }

  private sweep(): void {
    const cutoff = Date.now() - this.timeoutMs;
    for (const [id, c] of this.cursors) if (c.lastUsed < cutoff) this.cursors.delete(id);
  }

  close(): void {
    clearInterval(this.sweeper);
    this.cursors.clear();
  }
}
