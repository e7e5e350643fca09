import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
/** Documents with any _id type (the driver's default typing assumes ObjectId). */
type Loose = { _id?: string | number; [field: string]: unknown };
import { startMongoServer, type MongoServer } from '../src/index.js';
import { startCli } from './cli-process.js';

const dirs: string[] = [];
const servers: MongoServer[] = [];
const clients: MongoClient[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mongo-server-'));
  dirs.push(dir);
  return dir;
}

async function open(dbpath: string, opts: { compactMinBytes?: number } = {}) {
  const server = await startMongoServer({ port: 0, dbpath, ...opts });
  servers.push(server);
  const client = await MongoClient.connect(server.uri);
  clients.push(client);
  return { server, client, db: client.db('durable') };
}

async function close(server: MongoServer, client: MongoClient): Promise<void> {
  await client.close();
  await server.stop();
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  for (const s of servers.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('durability with a dbpath', () => {
  it('recovers every acknowledged write, index and drop after a restart', async () => {
    const dbpath = tempDir();
    const a = await open(dbpath);
    const c = a.db.collection<Loose>('things');
    await c.createIndex({ k: 1 }, { unique: true });
    await c.insertMany(Array.from({ length: 500 }, (_, i) => ({ _id: i, k: i, v: 'x' })));
    await c.updateMany({ _id: { $lt: 100 } }, { $set: { v: 'y' } });
    await c.deleteMany({ _id: { $gte: 400 } });
    await a.db.collection<Loose>('gone').insertOne({ a: 1 });
    await a.db.collection<Loose>('gone').drop();
    await close(a.server, a.client);

    const b = await open(dbpath);
    const d = b.db.collection<Loose>('things');
    expect(await d.countDocuments()).toBe(400);
    expect(await d.countDocuments({ v: 'y' })).toBe(100);
    expect((await b.db.listCollections().toArray()).map((x) => x.name)).toEqual(['things']);
    expect((await d.insertOne({ k: 5 }).catch((e) => e)).code).toBe(11000);
  });

  it('keeps every acknowledged write when the process is killed, and ignores a torn last record', async () => {
    const dbpath = tempDir();
    const cli = await startCli(['--port', '0', '--dbpath', dbpath, '--log-level', 'warn']);
    const client = await MongoClient.connect(cli.uri);
    const c = client.db('durable').collection<Loose>('crash');
    for (let i = 0; i < 20; i++) await c.insertOne({ _id: i });
    await c.updateOne({ _id: 3 }, { $set: { touched: true } });
    cli.child.kill('SIGKILL');
    await cli.exited;
    await client.close().catch(() => undefined);

    // A crash in the middle of the next write leaves part of a record at the end of the log.
    const log = path.join(dbpath, 'journal.log');
    const goodSize = fs.statSync(log).size;
    fs.appendFileSync(log, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5, 6]));

    const b = await open(dbpath);
    const d = b.db.collection<Loose>('crash');
    expect(await d.countDocuments()).toBe(20);
    expect(await d.findOne({ _id: 3 })).toEqual({ _id: 3, touched: true });
    expect(fs.statSync(log).size).toBe(goodSize);
    await d.insertOne({ _id: 'after' });
    await close(b.server, b.client);
    const again = await open(dbpath);
    expect(await again.db.collection<Loose>('crash').countDocuments()).toBe(21);
  });

  it('ignores a record whose checksum does not match', async () => {
    const dbpath = tempDir();
    const a = await open(dbpath);
    await a.db.collection<Loose>('c').insertOne({ _id: 1 });
    await a.db.collection<Loose>('c').insertOne({ _id: 2, pad: 'z'.repeat(100) });
    await close(a.server, a.client);
    const log = path.join(dbpath, 'journal.log');
    const bytes = fs.readFileSync(log);
    bytes[bytes.length - 20] ^= 0xff;
    fs.writeFileSync(log, bytes);
    const b = await open(dbpath);
    expect(await b.db.collection<Loose>('c').find().toArray()).toEqual([{ _id: 1 }]);
  });

  it('compacts the log to the live data, on request and by size', async () => {
    const dbpath = tempDir();
    const a = await open(dbpath, { compactMinBytes: 64 * 1024 });
    const c = a.db.collection<{ _id: string; n: number; pad: string }>('hot');
    await c.insertOne({ _id: 'counter', n: 0, pad: 'p'.repeat(1000) });
    for (let i = 0; i < 150; i++) await c.updateOne({ _id: 'counter' }, { $inc: { n: 1 } });
    const log = path.join(dbpath, 'journal.log');
    // 150 updates of a ~1 KB document would be ~160 KB uncompacted.
    expect(fs.statSync(log).size).toBeLessThan(100 * 1024);
    await a.db.command({ compact: 'hot' });
    expect(fs.statSync(log).size).toBeLessThan(2 * 1024);
    await close(a.server, a.client);
    const b = await open(dbpath);
    expect(await b.db.collection<Loose>('hot').findOne({ _id: 'counter' })).toMatchObject({ n: 150 });
  });

  it('refuses a second server on the same dbpath', async () => {
    const dbpath = tempDir();
    await open(dbpath);
    await expect(startMongoServer({ port: 0, dbpath })).rejects.toThrow(/in use by process/);
  });
});
