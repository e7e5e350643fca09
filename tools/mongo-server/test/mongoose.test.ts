/**
 * Mongoose against the embedded server (or the MongoDB at MONGODB_URI): the features Flightdeck's
 * persistence relies on. Each test gets a database of its own.
 */
import mongoose, { type Connection, Schema, Types } from 'mongoose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { databaseUri, type MongoTarget, startTarget } from '../src/conformance/target.js';

let target: MongoTarget;
let conn: Connection;
/** Names of the commands the driver sent in the current test. */
let commands: string[];

beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target?.stop();
});
beforeEach(async (ctx) => {
  commands = [];
  conn = await mongoose
    .createConnection(databaseUri(target.uri, ctx.task.name), {
      serverSelectionTimeoutMS: 5_000,
      monitorCommands: true,
    })
    .asPromise();
  conn.getClient().on('commandStarted', (e) => commands.push(e.commandName));
});
afterEach(async () => {
  await conn.dropDatabase();
  await conn.close();
});

const releaseSchema = () =>
  new Schema(
    {
      name: { type: String, required: true, trim: true, minlength: 2 },
      version: { type: String, required: true, match: /^\d+\.\d+\.\d+$/ },
      type: { type: String, enum: ['major', 'minor', 'patch'], default: 'minor' },
      priority: { type: Number, min: 1, max: 5 },
      labels: [String],
    },
    { timestamps: true },
  );

describe('models with validation', () => {
  it('saves a valid document with defaults and timestamps, and refuses invalid ones naming each bad path', async () => {
    const Release = conn.model('Release', releaseSchema());
    const saved = await Release.create({ name: ' Apollo ', version: '1.2.3', priority: 2, labels: ['web'] });
    const read = await Release.findById(saved._id).orFail();
    expect(read.name).toBe('Apollo');
    expect(read.type).toBe('minor');
    expect(read.labels).toEqual(['web']);
    expect(read.createdAt).toBeInstanceOf(Date);

    const invalid: Record<string, unknown> = { name: 'x', version: 'v1', type: 'huge', priority: 9 };
    const error = await Release.create(invalid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(mongoose.Error.ValidationError);
    expect(Object.keys((error as mongoose.Error.ValidationError).errors).sort()).toEqual([
      'name',
      'priority',
      'type',
      'version',
    ]);
    expect(await Release.countDocuments()).toBe(1);
  });

  it('runs validators on updates when asked, and leaves the stored document alone on failure', async () => {
    const Release = conn.model('Release', releaseSchema());
    const r = await Release.create({ name: 'Apollo', version: '1.0.0' });
    await expect(Release.updateOne({ _id: r._id }, { $set: { priority: 7 } }, { runValidators: true })).rejects.toThrow(
      /priority/,
    );
    const updated = await Release.findOneAndUpdate(
      { _id: r._id },
      { $set: { priority: 3 }, $push: { labels: 'api' } },
      { returnDocument: 'after', runValidators: true },
    );
    expect(updated?.priority).toBe(3);
    expect(updated?.labels).toEqual(['api']);
    expect(updated!.updatedAt!.getTime()).toBeGreaterThanOrEqual(r.updatedAt!.getTime());
  });
});

describe('unique indexes', () => {
  it('enforces a unique field with E11000 carrying keyPattern and keyValue', async () => {
    const schema = new Schema({ email: { type: String, required: true, unique: true }, name: String });
    const User = conn.model('User', schema);
    await User.init();
    const indexes = await User.collection.indexes();
    expect(indexes.find((i) => i.key.email === 1)?.unique).toBe(true);
    await User.create({ email: 'a@example.com', name: 'A' });
    const error = (await User.create({ email: 'a@example.com', name: 'B' }).catch((e: unknown) => e)) as {
      code?: number;
      keyPattern?: object;
      keyValue?: object;
      message: string;
    };
    expect(error.code).toBe(11000);
    expect(error.message).toMatch(/E11000 duplicate key/);
    expect(error.keyPattern).toEqual({ email: 1 });
    expect(error.keyValue).toEqual({ email: 'a@example.com' });
    expect(await User.countDocuments()).toBe(1);
  });

  it('enforces a compound unique index only on the combination, also for updates and upserts', async () => {
    const schema = new Schema({ service: String, version: String, note: String });
    schema.index({ service: 1, version: 1 }, { unique: true });
    const Build = conn.model('Build', schema);
    await Build.init();
    await Build.create([
      { service: 'api', version: '1' },
      { service: 'api', version: '2' },
      { service: 'web', version: '1' },
    ]);
    await expect(Build.create({ service: 'web', version: '1' })).rejects.toMatchObject({
      code: 11000,
      keyValue: { service: 'web', version: '1' },
    });
    await expect(Build.updateOne({ service: 'api', version: '2' }, { $set: { version: '1' } })).rejects.toMatchObject({
      code: 11000,
    });
    await Build.updateOne({ service: 'db', version: '1' }, { $set: { note: 'new' } }, { upsert: true });
    expect(await Build.countDocuments()).toBe(4);
    // insertMany unordered keeps going past the duplicate and reports it.
    const result = (await Build.insertMany(
      [
        { service: 'x', version: '1' },
        { service: 'api', version: '1' },
        { service: 'y', version: '1' },
      ],
      { ordered: false },
    ).catch((e: unknown) => e)) as { code?: number; insertedDocs?: unknown[] };
    expect(result.code).toBe(11000);
    expect(await Build.countDocuments()).toBe(6);
  });
});

describe('optimistic concurrency', () => {
  it('refuses a save from a stale copy with a VersionError and bumps __v on each save', async () => {
    const schema = new Schema({ name: String, status: String }, { optimisticConcurrency: true });
    const Rollout = conn.model('Rollout', schema);
    const created = await Rollout.create({ name: 'canary', status: 'pending' });
    expect(created.__v).toBe(0);
    const first = await Rollout.findById(created._id).orFail();
    const second = await Rollout.findById(created._id).orFail();
    first.status = 'running';
    await first.save();
    expect(first.__v).toBe(1);
    second.status = 'aborted';
    await expect(second.save()).rejects.toBeInstanceOf(mongoose.Error.VersionError);
    const stored = await Rollout.findById(created._id).lean().orFail();
    expect(stored.status).toBe('running');
    expect(stored.__v).toBe(1);
  });
});

describe('populate', () => {
  it('fills references, arrays of references and virtual populates', async () => {
    const teamSchema = new Schema({ name: String }, { toObject: { virtuals: true } });
    teamSchema.virtual('services', { ref: 'Service', localField: '_id', foreignField: 'team' });
    const Team = conn.model('Team', teamSchema);
    const serviceSchema = new Schema({ name: String, team: { type: Schema.Types.ObjectId, ref: 'Team' } });
    const Service = conn.model('Service', serviceSchema);
    const releaseSchema = new Schema({ version: String, services: [{ type: Schema.Types.ObjectId, ref: 'Service' }] });
    const Release = conn.model('Release', releaseSchema);

    const [core, web] = await Team.create([{ name: 'core' }, { name: 'web' }]);
    const [api, ui, db] = await Service.create([
      { name: 'api', team: core!._id },
      { name: 'ui', team: web!._id },
      { name: 'db', team: core!._id },
    ]);
    await Release.create({ version: '2.0.0', services: [api!._id, ui!._id] });

    const release = await Release.findOne({ version: '2.0.0' })
      .populate({ path: 'services', populate: { path: 'team' } })
      .orFail();
    const services = release.services as unknown as Array<{ name: string; team: { name: string } }>;
    expect(services.map((s) => `${s.name}/${s.team.name}`)).toEqual(['api/core', 'ui/web']);

    const lean = await Service.find({ team: core!._id }).sort({ name: 1 }).populate('team', 'name').lean();
    expect(lean.map((s) => [s.name, (s.team as unknown as { name: string }).name])).toEqual([
      ['api', 'core'],
      ['db', 'core'],
    ]);
    expect(db!.team).toBeInstanceOf(Types.ObjectId);

    const teams = await Team.find()
      .sort({ name: 1 })
      .populate({ path: 'services', options: { sort: { name: 1 } } });
    expect(teams.map((t) => [t.name, (t.get('services') as Array<{ name: string }>).map((s) => s.name)])).toEqual([
      ['core', ['api', 'db']],
      ['web', ['ui']],
    ]);
  });
});

describe('aggregate', () => {
  it('groups, sorts, projects, looks up and facets through Model.aggregate', async () => {
    const Deploy = conn.model('Deploy', new Schema({ service: String, env: String, minutes: Number, ok: Boolean }));
    const Owner = conn.model('Owner', new Schema({ service: String, owner: String }));
    await Deploy.create([
      { service: 'api', env: 'prod', minutes: 10, ok: true },
      { service: 'api', env: 'prod', minutes: 20, ok: false },
      { service: 'api', env: 'stage', minutes: 5, ok: true },
      { service: 'web', env: 'prod', minutes: 7, ok: true },
    ]);
    await Owner.create([
      { service: 'api', owner: 'ana' },
      { service: 'web', owner: 'wu' },
    ]);

    const perService = await Deploy.aggregate<{ _id: string; count: number; avg: number; failures: number }>([
      { $match: { env: 'prod' } },
      {
        $group: {
          _id: '$service',
          count: { $sum: 1 },
          avg: { $avg: '$minutes' },
          failures: { $sum: { $cond: ['$ok', 0, 1] } },
        },
      },
      { $sort: { _id: 1 } },
    ]);
    expect(perService).toEqual([
      { _id: 'api', count: 2, avg: 15, failures: 1 },
      { _id: 'web', count: 1, avg: 7, failures: 0 },
    ]);

    const withOwner = await Deploy.aggregate([
      { $group: { _id: '$service', total: { $sum: '$minutes' } } },
      { $lookup: { from: Owner.collection.name, localField: '_id', foreignField: 'service', as: 'owners' } },
      { $unwind: '$owners' },
      { $project: { _id: 0, service: '$_id', total: 1, owner: '$owners.owner' } },
      { $sort: { total: -1 } },
    ]);
    expect(withOwner).toEqual([
      { total: 35, service: 'api', owner: 'ana' },
      { total: 7, service: 'web', owner: 'wu' },
    ]);

    const [facets] = await Deploy.aggregate([
      { $facet: { byEnv: [{ $sortByCount: '$env' }], slow: [{ $match: { minutes: { $gte: 10 } } }, { $count: 'n' }] } },
    ]);
    expect(facets).toEqual({
      byEnv: [
        { _id: 'prod', count: 3 },
        { _id: 'stage', count: 1 },
      ],
      slow: [{ n: 2 }],
    });

    // Bucket boundaries are inclusive below and exclusive above: 10 belongs to [10, 30), not [0, 10).
    const buckets = await Deploy.aggregate([
      {
        $bucket: {
          groupBy: '$minutes',
          boundaries: [0, 10, 30],
          default: 'other',
          output: { n: { $sum: 1 }, services: { $addToSet: '$service' } },
        },
      },
    ]);
    expect(buckets.map((b) => [b._id, b.n])).toEqual([
      [0, 2],
      [10, 2],
    ]);
    expect(Object.keys(buckets[0])[0]).toBe('_id');
    // Without a default, a value outside the boundaries fails the aggregation as on mongod.
    await expect(Deploy.aggregate([{ $bucket: { groupBy: '$minutes', boundaries: [0, 10] } }])).rejects.toMatchObject({
      code: 40066,
    });
  });
});

describe('lean queries', () => {
  it('returns plain objects with projection, sort, skip and limit applied by the server', async () => {
    const Gate = conn.model(
      'Gate',
      new Schema({ name: String, order: Number, passed: Boolean, detail: { score: Number } }),
    );
    await Gate.create(
      [1, 2, 3, 4, 5].map((order) => ({
        name: `g${order}`,
        order,
        passed: order % 2 === 0,
        detail: { score: order * 10 },
      })),
    );
    const page = await Gate.find({ order: { $gte: 2 } }, { name: 1, 'detail.score': 1 })
      .sort({ order: -1 })
      .skip(1)
      .limit(2)
      .lean();
    expect(page.map(({ _id, ...rest }) => rest)).toEqual([
      { name: 'g4', detail: { score: 40 } },
      { name: 'g3', detail: { score: 30 } },
    ]);
    expect(page[0]).not.toBeInstanceOf(mongoose.Document);
    expect(page[0]!._id).toBeInstanceOf(Types.ObjectId);
    const one = await Gate.findOne({ passed: true, 'detail.score': { $lt: 30 } }).lean();
    expect(one?.name).toBe('g2');
    expect((await Gate.distinct('passed')).sort()).toEqual([false, true]);
  });
});

describe('cursors', () => {
  it('streams 10,000 documents through a query cursor in order, batch by batch', async () => {
    const Event = conn.model('Event', new Schema({ n: Number, kind: String }));
    const total = 10_000;
    for (let start = 0; start < total; start += 2_000) {
      await Event.insertMany(
        Array.from({ length: 2_000 }, (_, i) => ({ n: start + i, kind: (start + i) % 3 === 0 ? 'fizz' : 'plain' })),
        { lean: true },
      );
    }
    expect(await Event.estimatedDocumentCount()).toBe(total);

    commands = [];
    let seen = 0;
    let sum = 0;
    let previous = -1;
    let inOrder = true;
    for await (const doc of Event.find().sort({ n: 1 }).batchSize(500).lean().cursor()) {
      if (doc.n! <= previous) inOrder = false;
      previous = doc.n!;
      sum += doc.n!;
      seen++;
    }
    expect(seen).toBe(total);
    expect(inOrder).toBe(true);
    // A real server-side cursor: one find, then getMore batches of 500 (one more when the server cannot tell the end early).
    expect(commands.filter((c) => c === 'find')).toHaveLength(1);
    expect(commands.filter((c) => c === 'getMore').length).toBeGreaterThanOrEqual(19);
    expect(commands.filter((c) => c === 'getMore').length).toBeLessThanOrEqual(20);
    expect(sum).toBe((total * (total - 1)) / 2);

    let fizz = 0;
    await Event.find({ kind: 'fizz' })
      .cursor({ batchSize: 1_000 })
      .eachAsync(() => {
        fizz++;
      });
    expect(fizz).toBe(Math.ceil(total / 3));

    const counted: number[] = [];
    for await (const group of Event.aggregate<{ _id: string; c: number }>([
      { $group: { _id: '$kind', c: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]).cursor({ batchSize: 1 })) {
      counted.push(group.c);
    }
    expect(counted).toEqual([Math.ceil(total / 3), total - Math.ceil(total / 3)]);
  });
});

describe('everyday queries and updates', () => {
  it('upserts with $setOnInsert, increments, and edits arrays in place', async () => {
    const Counter = conn.model(
      'Counter',
      new Schema({ key: { type: String, unique: true }, n: Number, tags: [String], createdBy: String }),
    );
    await Counter.init();
    for (let i = 0; i < 3; i++) {
      await Counter.findOneAndUpdate(
        { key: 'deploys' },
        { $inc: { n: 1 }, $setOnInsert: { createdBy: 'ci' }, $addToSet: { tags: 'prod' } },
        { upsert: true },
      );
    }
    await Counter.updateOne({ key: 'deploys' }, { $push: { tags: { $each: ['a', 'b'] } } });
    // $push modifiers apply also when the array does not exist yet: keep the two largest, sorted.
    await Counter.updateOne(
      { key: 'deploys' },
      { $push: { recent: { $each: [3, 1, 2], $sort: 1, $slice: -2 } } },
      { strict: false },
    );
    expect(((await Counter.findOne({ key: 'deploys' }).lean().orFail()) as Record<string, unknown>).recent).toEqual([
      2, 3,
    ]);
    await Counter.updateOne(
      { key: 'deploys' },
      { $push: { recent: { $each: [0, 9], $sort: -1, $slice: 3 } } },
      { strict: false },
    );
    await Counter.updateOne({ key: 'deploys' }, { $pull: { tags: 'a' } });
    const counter = await Counter.findOne({ key: 'deploys' }).lean().orFail();
    expect([counter.n, counter.createdBy, counter.tags]).toEqual([3, 'ci', ['prod', 'b']]);
    expect((counter as Record<string, unknown>).recent).toEqual([9, 3, 2]);
    expect(await Counter.countDocuments()).toBe(1);
  });

  it('answers $in, $regex, $elemMatch, $exists and date-range queries, with exclusion projections', async () => {
    const Incident = conn.model(
      'Incident',
      new Schema({
        title: String,
        severity: Number,
        at: Date,
        secret: String,
        checks: [{ name: String, ok: Boolean }],
        resolvedAt: Date,
      }),
    );
    const day = (d: number): Date => new Date(Date.UTC(2024, 0, d));
    await Incident.create([
      {
        title: 'API latency',
        severity: 2,
        at: day(1),
        secret: 's',
        checks: [{ name: 'p99', ok: false }],
        resolvedAt: day(2),
      },
      {
        title: 'api errors',
        severity: 1,
        at: day(5),
        secret: 's',
        checks: [
          { name: 'p99', ok: true },
          { name: 'errors', ok: false },
        ],
      },
      { title: 'Web down', severity: 1, at: day(9), secret: 's', checks: [] },
    ]);
    const titles = (docs: Array<{ title?: string | null }>): Array<string | null | undefined> =>
      docs.map((d) => d.title);
    expect(
      titles(
        await Incident.find({ severity: { $in: [1] } })
          .sort({ at: 1 })
          .lean(),
      ),
    ).toEqual(['api errors', 'Web down']);
    expect(titles(await Incident.find({ title: /^api/i }).sort({ at: -1 }).lean())).toEqual([
      'api errors',
      'API latency',
    ]);
    expect(titles(await Incident.find({ checks: { $elemMatch: { name: 'errors', ok: false } } }).lean())).toEqual([
      'api errors',
    ]);
    expect(
      titles(
        await Incident.find({ resolvedAt: { $exists: false } })
          .sort({ title: 1 })
          .lean(),
      ),
    ).toEqual(['Web down', 'api errors']);
    expect(titles(await Incident.find({ at: { $gte: day(2), $lt: day(9) } }).lean())).toEqual(['api errors']);
    const hidden = await Incident.findOne({ severity: 2 }).select('-secret -checks').lean().orFail();
    expect(Object.keys(hidden).sort()).toEqual(['__v', '_id', 'at', 'resolvedAt', 'severity', 'title']);
    expect(await Incident.deleteMany({ severity: 1 })).toMatchObject({ deletedCount: 2 });
    expect(await Incident.countDocuments()).toBe(1);
  });

  it('runs bulkWrite and keeps indexes in sync with the schema, including a TTL index', async () => {
    const schema = new Schema({ sessionId: String, seenAt: { type: Date, expires: 3600 }, user: String });
    schema.index({ user: 1, seenAt: -1 });
    const Seen = conn.model('Seen', schema);
    await Seen.syncIndexes();
    const indexes = await Seen.collection.indexes();
    expect(indexes.find((i) => i.key.seenAt === 1)?.expireAfterSeconds).toBe(3600);
    expect(indexes.some((i) => i.key.user === 1 && i.key.seenAt === -1)).toBe(true);
    const result = await Seen.bulkWrite([
      { insertOne: { document: { sessionId: 'a', user: 'u1', seenAt: new Date() } } },
      { insertOne: { document: { sessionId: 'b', user: 'u2', seenAt: new Date() } } },
      { updateOne: { filter: { sessionId: 'a' }, update: { $set: { user: 'u3' } } } },
      { deleteOne: { filter: { sessionId: 'b' } } },
    ]);
    expect([result.insertedCount, result.modifiedCount, result.deletedCount]).toEqual([2, 1, 1]);
    expect(await Seen.find().lean()).toMatchObject([{ sessionId: 'a', user: 'u3' }]);
  });
});
