/**
 * Embedded MongoDB-wire server benchmark, through the real mongodb driver over TCP:
 * - batched insertMany in memory and with a dbpath (every batch fsynced before the ack);
 * - point lookups by _id and by an indexed field, a range on the indexed field, next to the same
 *   lookup on an unindexed field (a collection scan: the baseline the index must beat);
 * - the same indexed lookups at a small and a large collection size (they must stay flat);
 * - an aggregate $group over the whole collection.
 * Server and driver share this process, so peak RSS covers both.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { MongoClient, type Collection } from 'mongodb';
import { startMongoServer } from '@flightdeck/mongo-server';

export interface MongoBenchOptions {
  /** Documents for the insert, lookup and $group runs (the issue: 100,000). */
  docs: number;
  /** Collection sizes at which lookups are compared (the issue: 10,000 and 1,000,000). */
  small: number;
  large: number;
  batch: number;
  lookups: number;
}

interface Doc {
  _id: number;
  seq: number;
  plain: number;
  group: number;
  name: string;
}

export interface LookupTimes {
  byId: number;
  byIndex: number;
  range: number;
  /** microseconds per operation */
}

export interface MongoBenchResult {
  insert: { memory: number; dbpath: number; ratio: number };
  lookups: {
    idPerSecond: number;
    indexedPerSecond: number;
    rangePerSecond: number;
    scanPerSecond: number;
    indexedOverScan: number;
  };
  growth: { small: LookupTimes; large: LookupTimes; ratio: LookupTimes };
  group: { ms: number; docsPerSecond: number; groups: number };
  peakRssMb: number;
  /** What the server must get right while it is timed: every document stored, every lookup answered right. */
  checks: {
    /** Documents in each collection afterwards (docs, docs, large). */
    stored: { memory: number; dbpath: number; growth: number };
    /** Lookups (of every kind, at every size) whose answer was not the document(s) asked for. */
    wrongAnswers: number;
    /** Documents the $group counted over all its groups (docs). */
    grouped: number;
  };
}

const doc = (i: number): Doc => ({ _id: i, seq: i, plain: i, group: i % 100, name: `item-${i}` });

async function insertAll(c: Collection<Doc>, from: number, to: number, batch: number): Promise<number> {
  const started = performance.now();
  for (let i = from; i < to; i += batch) {
    await c.insertMany(
      Array.from({ length: Math.min(batch, to - i) }, (_, k) => doc(i + k)),
      { ordered: true },
    );
  }
  return ((to - from) / (performance.now() - started)) * 1000;
}

let wrongAnswers = 0;

/** Microseconds per call of `op` over `n` sequential calls with keys spread over the collection; `op` says whether its answer was right. */
async function timeOps(n: number, size: number, op: (key: number) => Promise<boolean>): Promise<number> {
  for (let i = 0; i < Math.min(50, n); i++) if (!(await op((i * 7919) % size))) wrongAnswers++;
  const started = performance.now();
  for (let i = 0; i < n; i++) if (!(await op((i * 104_729) % size))) wrongAnswers++;
  return ((performance.now() - started) * 1000) / n;
}

async function lookupTimes(c: Collection<Doc>, size: number, n: number): Promise<LookupTimes> {
  return {
    byId: await timeOps(n, size, async (k) => (await c.findOne({ _id: k }))?.seq === k),
    byIndex: await timeOps(n, size, async (k) => (await c.findOne({ seq: k }))?._id === k),
    range: await timeOps(n, size, async (k) => {
      const docs = await c.find({ seq: { $gte: k, $lt: k + 20 } }).toArray();
      return docs.length === Math.min(20, size - k) && docs.every((d) => d.seq >= k && d.seq < k + 20);
    }),
  };
}

export async function runMongoServerBench(o: MongoBenchOptions): Promise<MongoBenchResult> {
  wrongAnswers = 0;
  const dbpath = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-mongo-'));
  const memory = await startMongoServer({ port: 0 });
  const durable = await startMongoServer({ port: 0, dbpath });
  const mc = await MongoClient.connect(memory.uri);
  const dc = await MongoClient.connect(durable.uri);
  try {
    const c = mc.db('bench').collection<Doc>('docs');
    await c.createIndex({ seq: 1 });
    const insertMemory = await insertAll(c, 0, o.docs, o.batch);
    const insertDurable = await insertAll(dc.db('bench').collection<Doc>('docs'), 0, o.docs, o.batch);

    const scanN = Math.max(5, Math.floor(o.lookups / 50));
    const base = await lookupTimes(c, o.docs, o.lookups);
    const scan = await timeOps(scanN, o.docs, async (k) => (await c.findOne({ plain: k }))?.seq === k);

    const started = performance.now();
    const groups = await c
      .aggregate([{ $group: { _id: '$group', n: { $sum: 1 }, total: { $sum: '$seq' } } }])
      .toArray();
    const groupMs = performance.now() - started;

    // Growth: a fresh collection measured at `small` documents, then grown to `large`.
    const g = mc.db('bench').collection<Doc>('growth');
    await g.createIndex({ seq: 1 });
    await insertAll(g, 0, o.small, o.batch);
    const small = await lookupTimes(g, o.small, o.lookups);
    await insertAll(g, o.small, o.large, o.batch);
    const large = await lookupTimes(g, o.large, o.lookups);

    return {
      insert: { memory: insertMemory, dbpath: insertDurable, ratio: insertDurable / insertMemory },
      lookups: {
        idPerSecond: 1e6 / base.byId,
        indexedPerSecond: 1e6 / base.byIndex,
        rangePerSecond: 1e6 / base.range,
        scanPerSecond: 1e6 / scan,
        indexedOverScan: scan / base.byIndex,
      },
      growth: {
        small,
        large,
        ratio: {
          byId: large.byId / small.byId,
          byIndex: large.byIndex / small.byIndex,
          range: large.range / small.range,
        },
      },
      group: { ms: groupMs, docsPerSecond: (o.docs / groupMs) * 1000, groups: groups.length },
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      checks: {
        stored: {
          memory: await c.countDocuments(),
          dbpath: await dc.db('bench').collection<Doc>('docs').countDocuments(),
          growth: await g.countDocuments(),
        },
        wrongAnswers,
        grouped: groups.reduce((a, x) => a + (x.n as number), 0),
      },
    };
  } finally {
    await mc.close();
    await dc.close();
    await memory.stop();
    await durable.stop();
    fs.rmSync(dbpath, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const program = new Command('mongo-server')
    .description(
      'Embedded MongoDB-wire server: batched inserts (memory and dbpath), indexed lookups next to a collection scan, lookups at a small and a large size, $group.',
    )
    .option('--docs <n>', 'documents for inserts, lookups and $group', '100000')
    .option('--small <n>', 'collection size for the first lookup measurement', '10000')
    .option('--large <n>', 'collection size for the second lookup measurement', '1000000')
    .option('--batch <n>', 'documents per insertMany', '1000')
    .option('--lookups <n>', 'operations per lookup measurement', '2000')
    .parse();
  const a = program.opts<Record<keyof MongoBenchOptions, string>>();
  const opts: MongoBenchOptions = {
    docs: Number(a.docs),
    small: Number(a.small),
    large: Number(a.large),
    batch: Number(a.batch),
    lookups: Number(a.lookups),
  };
  for (const [k, v] of Object.entries(opts)) {
    if (!Number.isInteger(v) || v <= 0)
      program.error(`--${k} must be a positive integer, got ${a[k as keyof typeof a]}`);
  }
  if (opts.large <= opts.small) program.error('--large must be bigger than --small');
  const r = await runMongoServerBench(opts);
  const n = (x: number) => x.toFixed(0).padStart(8);
  const us = (x: number) => `${x.toFixed(0).padStart(5)} µs`;
  console.log(`insertMany, ${opts.docs} documents in batches of ${opts.batch}`);
  console.log(`  in memory            ${n(r.insert.memory)} docs/s   (target ≥ 20000)`);
  console.log(
    `  with --dbpath        ${n(r.insert.dbpath)} docs/s   (target ≥ 5000)   dbpath / memory ${r.insert.ratio.toFixed(2)}`,
  );
  console.log(`lookups on ${opts.docs} documents (sequential, one round trip each)`);
  console.log(`  by _id               ${n(r.lookups.idPerSecond)} ops/s`);
  console.log(`  by indexed field     ${n(r.lookups.indexedPerSecond)} ops/s`);
  console.log(`  range of 20, indexed ${n(r.lookups.rangePerSecond)} ops/s`);
  console.log(
    `  unindexed (baseline) ${n(r.lookups.scanPerSecond)} ops/s   indexed / unindexed ${r.lookups.indexedOverScan.toFixed(1)}×`,
  );
  console.log(`lookups at ${opts.small} vs ${opts.large} documents (target: large within 2× of small)`);
  for (const k of ['byId', 'byIndex', 'range'] as const) {
    console.log(
      `  ${k.padEnd(8)}  ${us(r.growth.small[k])}  vs ${us(r.growth.large[k])}   ratio ${r.growth.ratio[k].toFixed(2)}`,
    );
  }
  console.log(
    `aggregate $group over ${opts.docs} documents: ${r.group.ms.toFixed(0)} ms (${n(r.group.docsPerSecond)} docs/s, ${r.group.groups} groups)`,
  );
  console.log(`peak RSS ${r.peakRssMb.toFixed(0)} MB (server and driver in one process)`);
}
