import net from 'node:net';
import { BSON, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
/** Documents with any _id type (the driver's default typing assumes ObjectId). */
type Loose = { _id?: string | number; [field: string]: unknown };
import { startMongoServer, type MongoServer } from '../src/index.js';
import { crc32c } from '../src/wire/crc32c.js';

let server: MongoServer;
let client: MongoClient;
const logLines: string[] = [];

beforeAll(async () => {
  const logger = pino({ level: 'warn' }, { write: (line: string) => logLines.push(line) });
  server = await startMongoServer({ port: 0, logger });
  client = await MongoClient.connect(server.uri);
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

function header(length: number, opCode: number, requestId = 7): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opMsg(body: Buffer, flags = 0): Buffer {
  const rest = Buffer.concat([Buffer.from(Uint32Array.of(flags).buffer), Buffer.from([0]), body]);
  return Buffer.concat([header(16 + rest.length, 2013), rest]);
}

/** Send raw bytes; resolve with the reply, or with 'closed' when the server hangs up. */
function exchange(bytes: Buffer, { expectReply = true } = {}): Promise<Document | 'closed' | 'silent'> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => socket.write(bytes));
    let got = Buffer.alloc(0);
    const timer = setTimeout(
      () => {
        socket.destroy();
        resolve('silent');
      },
      expectReply ? 5000 : 500,
    );
    socket.on('data', (d) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 4 && got.length >= got.readInt32LE(0)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(BSON.deserialize(got.subarray(21)));
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
    socket.on('error', reject);
  });
}

async function stillServes(): Promise<void> {
  expect(await client.db('x').command({ ping: 1 })).toMatchObject({ ok: 1 });
}

describe('bad input closes one connection, never the server', () => {
  it('answers a well-formed raw OP_MSG, with and without a checksum', async () => {
    expect(await exchange(opMsg(Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }))))).toMatchObject({ ok: 1 });
    const body = Buffer.concat([
      Buffer.from(Uint32Array.of(1).buffer),
      Buffer.from([0]),
      BSON.serialize({ ping: 1, $db: 'admin' }),
    ]);
    const head = header(16 + body.length + 4, 2013);
    const sum = Buffer.alloc(4);
    sum.writeUInt32LE(crc32c(body, crc32c(head)));
    expect(await exchange(Buffer.concat([head, body, sum]))).toMatchObject({ ok: 1 });
  });

  it('closes on a message length below the header size', async () => {
    expect(await exchange(header(3, 2013))).toBe('closed');
    await stillServes();
  });

  it('closes on a message length over the 48 MB limit before reading it', async () => {
    expect(await exchange(header(48_000_001, 2013))).toBe('closed');
    await stillServes();
  });

  it('closes on bad BSON', async () => {
    const bad = Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }));
    bad.writeInt32LE(9999, 0);
    expect(await exchange(opMsg(bad))).toBe('closed');
    const garbage = Buffer.from([12, 0, 0, 0, 0x7f, 0x61, 0, 1, 2, 3, 4, 0]);
    expect(await exchange(opMsg(garbage))).toBe('closed');
    await stillServes();
  });

  it('closes on an unknown opcode and on a wrong checksum', async () => {
    expect(await exchange(Buffer.concat([header(20, 4242), Buffer.alloc(4)]))).toBe('closed');
    const body = Buffer.concat([
      Buffer.from(Uint32Array.of(1).buffer),
      Buffer.from([0]),
      BSON.serialize({ ping: 1, $db: 'admin' }),
      Buffer.alloc(4),
    ]);
    expect(await exchange(Buffer.concat([header(16 + body.length, 2013), body]))).toBe('closed');
    await stillServes();
    expect(logLines.some((l) => l.includes('unsupported opcode 4242'))).toBe(true);
  });

  it('does not reply to moreToCome (unacknowledged) writes but performs them', async () => {
    const msg = opMsg(Buffer.from(BSON.serialize({ insert: 'w0', documents: [{ _id: 1 }], $db: 'raw' })), 2);
    expect(await exchange(msg, { expectReply: false })).toBe('silent');
    expect(await client.db('raw').collection<Loose>('w0').countDocuments()).toBe(1);
  });

  it('refuses a document over 16 MB with BSONObjectTooLarge', async () => {
    const big = { _id: 'big', blob: 'x'.repeat(16 * 1024 * 1024 + 10) };
    const err = await client
      .db('x')
      .collection<Loose>('big')
      .insertOne(big)
      .catch((e) => e);
    expect(err.code ?? err.writeErrors?.[0]?.code).toBe(10334);
    expect(await client.db('x').collection<Loose>('big').countDocuments()).toBe(0);
    await stillServes();
  });

  it('answers a legacy OP_QUERY isMaster handshake', async () => {
    const query = BSON.serialize({ isMaster: 1 });
    const body = Buffer.concat([
      Buffer.alloc(4),
      Buffer.from('admin.$cmd\0'),
      Buffer.alloc(4),
      Buffer.from(Int32Array.of(-1).buffer),
      query,
    ]);
    const reply = await new Promise<Document>((resolve) => {
      const socket = net.connect(server.port, '127.0.0.1', () =>
        socket.write(Buffer.concat([header(16 + body.length, 2004), body])),
      );
      let got = Buffer.alloc(0);
      socket.on('data', (d) => {
        got = Buffer.concat([got, d]);
        if (got.length >= 4 && got.length >= got.readInt32LE(0)) {
          socket.destroy();
          expect(got.readInt32LE(12)).toBe(1);
          resolve(BSON.deserialize(got.subarray(36)));
        }
      });
    });
    expect(reply).toMatchObject({ ismaster: true, ok: 1, maxWireVersion: 21 });
  });
});
