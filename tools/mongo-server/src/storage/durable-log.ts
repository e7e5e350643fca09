import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import { BSON, type Document } from 'bson';
import type { Logger } from 'pino';

/**
 * One change to the data, as the log stores it. `put` stores whole documents (insert or the new
 * version after an update), `remove` deletes by `_id`; the rest change the catalog.
 */
export type LogOp =
  | { o: 'put' | 'remove'; db: string; c: string; docs: Document[] }
  | { o: 'createCollection'; db: string; c: string; meta: Document }
  | { o: 'dropCollection'; db: string; c: string }
  | { o: 'dropDatabase'; db: string }
  | { o: 'createIndex'; db: string; c: string; meta: Document }
  | { o: 'dropIndex'; db: string; c: string; meta: Document };

const LOG_FILE = 'journal.log';
const RECORD_HEADER = 8;
const MAX_RECORD_PAYLOAD = 4 * 1024 * 1024;

const write = promisify(fs.write);
const fdatasync = promisify(fs.fdatasync);

/** Record framing: [u32 payload length][u32 crc32 of payload][payload]; payload = op header BSON + document BSONs. */
function encodeOps(ops: Iterable<LogOp>): Buffer[] {
  const out: Buffer[] = [];
  const emit = (header: Document, docs: Uint8Array[]): void => {
    const head = BSON.serialize(header);
    const payloadLength = head.length + docs.reduce((n, d) => n + d.length, 0);
    const record = Buffer.allocUnsafe(RECORD_HEADER + payloadLength);
    record.writeUInt32LE(payloadLength, 0);
    let at = RECORD_HEADER;
    record.set(head, at);
    at += head.length;
    for (const d of docs) {
      record.set(d, at);
      at += d.length;
    }
    record.writeUInt32LE(crc32(record.subarray(RECORD_HEADER)), 4);
    out.push(record);
  };
  for (const op of ops) {
    if (op.o !== 'put' && op.o !== 'remove') {
      emit(op, []);
      continue;
    }
    let chunk: Uint8Array[] = [];
    let size = 0;
    for (const doc of op.docs) {
      const bytes = BSON.serialize(op.o === 'remove' ? { _id: doc._id } : doc);
      if (chunk.length && size + bytes.length > MAX_RECORD_PAYLOAD) {
        emit({ o: op.o, db: op.db, c: op.c }, chunk);
        chunk = [];
        size = 0;
      }
      chunk.push(bytes);
      size += bytes.length;
    }
    if (chunk.length) emit({ o: op.o, db: op.db, c: op.c }, chunk);
  }
  return out;
}

function decodeRecord(payload: Buffer): LogOp {
  const headLength = payload.readInt32LE(0);
  const header = BSON.deserialize(payload.subarray(0, headLength)) as LogOp;
  if (header.o !== 'put' && header.o !== 'remove') return header;
  const docs: Document[] = [];
  for (let at = headLength; at < payload.length;) {
    const size = payload.readInt32LE(at);
    docs.push(BSON.deserialize(payload.subarray(at, at + size)));
    at += size;
  }
  return { ...header, docs };
}

export interface RecoveryReport {
  records: number;
  bytes: number;
  /** Bytes after the last whole record (a write torn by a crash), cut off. */
  tornBytes: number;
}

/**
 * An append-only log of every change, fsynced before a write is acknowledged. Concurrent writers
 * share one write + fdatasync (group commit). Compaction rewrites the log as a snapshot of the live
 * data into a new file and renames it over the old one, so a crash at any point leaves a whole log.
 */
export class DurableLog {
  private pending: LogOp[] = [];
  private waiters: Array<{ resolve(): void; reject(err: Error): void }> = [];
  private flushing = false;
  private bytesSinceCompaction = 0;
  private liveBytes = 0;
  private closed = false;
  private compactRequested: Array<{ resolve(): void; reject(err: Error): void }> = [];

  private constructor(
    private readonly dir: string,
    private fd: number,
    private readonly logger: Logger,
    private readonly snapshot: () => Iterable<LogOp>,
    private readonly compactMinBytes: number,
  ) {}

  /** Replay the log in `dir` through `apply`, cut off a torn tail, and open it for appending. */
  static open(
    dir: string,
    opts: { logger: Logger; apply(op: LogOp): void; snapshot(): Iterable<LogOp>; compactMinBytes?: number },
  ): { log: DurableLog; report: RecoveryReport } {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, LOG_FILE);
    const data = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0);
    let at = 0;
    let records = 0;
    while (at + RECORD_HEADER <= data.length) {
      const length = data.readUInt32LE(at);
      const end = at + RECORD_HEADER + length;
      if (end > data.length) break;
      const payload = data.subarray(at + RECORD_HEADER, end);
      if (crc32(payload) !== data.readUInt32LE(at + 4)) break;
      opts.apply(decodeRecord(payload));
      records++;
      at = end;
    }
    const report = { records, bytes: at, tornBytes: data.length - at };
    if (report.tornBytes) {
      opts.logger.warn(
        { file, validBytes: at, tornBytes: report.tornBytes },
        'log ends in a torn or corrupt record (a write cut off by a crash, never acknowledged); ignoring it',
      );
      fs.truncateSync(file, at);
    }
    const fd = fs.openSync(file, 'a');
    const log = new DurableLog(dir, fd, opts.logger, opts.snapshot, opts.compactMinBytes ?? 64 * 1024 * 1024);
    log.bytesSinceCompaction = at;
    log.liveBytes = at;
    return { log, report };
  }

  append(op: LogOp): void {
    if (this.closed) throw new Error('the durable log is closed');
    const last = this.pending[this.pending.length - 1];
    if (last && (op.o === 'put' || op.o === 'remove') && last.o === op.o && last.db === op.db && last.c === op.c)
      last.docs.push(...op.docs);
    else this.pending.push(op.o === 'put' || op.o === 'remove' ? { ...op, docs: [...op.docs] } : op);
  }

  /** Resolves once every op appended so far is on disk. */
  flush(): Promise<void> {
    if (!this.pending.length && !this.flushing) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.flushing) void this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    this.flushing = true;
    // A writer may ask to flush while the batch holding its op is being written (it appended before the batch was
    // taken): its waiter lands in the next round, which then has no ops and answers with the last batch's result.
    let lastError: Error | undefined;
    try {
      while (this.pending.length || this.waiters.length) {
        const ops = this.pending;
        const waiters = this.waiters;
        this.pending = [];
        this.waiters = [];
        if (ops.length) {
          try {
            const buffer = Buffer.concat(encodeOps(ops));
            for (let off = 0; off < buffer.length;)
              off += (await write(this.fd, buffer, off, buffer.length - off)).bytesWritten;
            await fdatasync(this.fd);
            this.bytesSinceCompaction += buffer.length;
            lastError = undefined;
          } catch (err) {
            this.logger.error({ err }, 'writing the durable log failed; the write is not acknowledged');
            lastError = err as Error;
          }
        }
        if (lastError) waiters.forEach((w) => w.reject(lastError!));
        else waiters.forEach((w) => w.resolve());
        if (
          this.compactRequested.length ||
          this.bytesSinceCompaction > Math.max(this.compactMinBytes, 2 * this.liveBytes)
        )
          this.compactBetweenCommits();
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Compact now, or right after the group commit in flight. */
  compact(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.compactRequested.push({ resolve, reject }));
    if (!this.flushing) this.compactBetweenCommits();
    return done;
  }

  private compactBetweenCommits(): void {
    const requests = this.compactRequested.splice(0);
    try {
      this.rewrite();
      requests.forEach((r) => r.resolve());
    } catch (err) {
      this.logger.error({ err }, 'compacting the durable log failed; the old log stays in use');
      requests.forEach((r) => r.reject(err as Error));
    }
  }

  /**
   * Rewrite the log as a snapshot of the live data. Runs synchronously between two group commits,
   * so the snapshot holds every op applied in memory, including those still pending.
   */
  private rewrite(): void {
    const file = path.join(this.dir, LOG_FILE);
    const tmp = `${file}.compacting`;
    const started = Date.now();
    const fd = fs.openSync(tmp, 'w');
    let bytes = 0;
    try {
      let batch: Buffer[] = [];
      let batchBytes = 0;
      for (const record of encodeOps(this.snapshot())) {
        batch.push(record);
        batchBytes += record.length;
        if (batchBytes > 8 * 1024 * 1024) {
          fs.writeSync(fd, Buffer.concat(batch));
          bytes += batchBytes;
          batch = [];
          batchBytes = 0;
        }
      }
      if (batch.length) fs.writeSync(fd, Buffer.concat(batch));
      bytes += batchBytes;
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    const dirFd = fs.openSync(this.dir, 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
    fs.closeSync(this.fd);
    this.fd = fs.openSync(file, 'a');
    this.liveBytes = bytes;
    this.bytesSinceCompaction = bytes;
    // The snapshot already holds the pending ops: they are durable now.
    this.pending = [];
    this.waiters.splice(0).forEach((w) => w.resolve());
    this.logger.info({ bytes, ms: Date.now() - started }, 'compacted the durable log');
  }

  get size(): number {
    return this.bytesSinceCompaction;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    fs.closeSync(this.fd);
  }
}
