import { describe, expect, inject, it } from 'vitest';
import type {} from '@flightdeck/testing/global-setup';
import mongoose from 'mongoose';
import { pino } from 'pino';
import { databaseUri, eventually, freePort } from '@flightdeck/testing';
import { startMongoServer } from '@flightdeck/mongo-server';
import { connectMongo, isStoreUnavailable, redactUri } from '../src/index.js';

describe('connectMongo', () => {
  it('opens its own connection (not mongoose global one), reports readiness and closes', async () => {
    const mongo = await connectMongo({ uri: databaseUri(inject('mongoUri'), 'connect') });
    expect(mongo.isReady()).toBe(true);
    expect(mongo.connection).not.toBe(mongoose.connection);
    expect(mongoose.connection.readyState).toBe(mongoose.ConnectionStates.disconnected);
    const Thing = mongo.connection.model('Thing', new mongoose.Schema({ name: String }));
    await Thing.create({ name: 'ping' });
    expect(await Thing.countDocuments()).toBe(1);
    await mongo.close();
    expect(mongo.isReady()).toBe(false);
  });

  it('retries until a server that starts late answers', async () => {
    const port = await freePort();
    const connecting = connectMongo({
      uri: `mongodb://127.0.0.1:${port}/late`,
      retries: 20,
      retryDelayMs: 100,
      serverSelectionTimeoutMS: 300,
    });
    await new Promise((r) => setTimeout(r, 700));
    const server = await startMongoServer({ port });
    try {
      const mongo = await connecting;
      expect(mongo.isReady()).toBe(true);
      await mongo.close();
    } finally {
      await server.stop();
    }
  });

  it('gives up after its retries with a message naming the server and the attempts', async () => {
    const port = await freePort();
    await expect(
      connectMongo({
        uri: `mongodb://app:secret@127.0.0.1:${port}/none`,
        retries: 1,
        retryDelayMs: 10,
        serverSelectionTimeoutMS: 200,
      }),
    ).rejects.toThrow(
      new RegExp(`could not connect to MongoDB at mongodb://app:\\*\\*\\*@127.0.0.1:${port}/none after 2 attempts`),
    );
  });

  it('warns of a disconnection it did not ask for; closing it is no warning', async () => {
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const warnings = () => lines.filter((l) => l.level >= 40).map((l) => l.msg);
    const port = await freePort();
    const server = await startMongoServer({ port });
    try {
      const kept = await connectMongo({ uri: `mongodb://127.0.0.1:${port}/kept`, logger });
      await kept.close();
      expect(lines.map((l) => l.msg)).toContain('MongoDB connection closed');
      expect(warnings()).toEqual([]);

      const lost = await connectMongo({
        uri: `mongodb://127.0.0.1:${port}/lost`,
        logger,
        serverSelectionTimeoutMS: 500,
      });
      await server.stop();
      await eventually('the disconnection noticed', () => warnings().includes('MongoDB disconnected'));
      await lost.close();
    } finally {
      await server.stop();
    }
  });

  it('rejects a URI that is not a MongoDB connection string, saying what is expected', async () => {
    await expect(connectMongo({ uri: 'postgres://localhost/db' })).rejects.toThrow(
      /expected mongodb:\/\/host:port\/database/,
    );
    expect(redactUri('mongodb://u:p@h:1/d')).toBe('mongodb://u:***@h:1/d');
  });
});

describe('isStoreUnavailable', () => {
  it('blames a stopped server, and not a refused operation, on the store being unavailable', async () => {
    const port = await freePort();
    const server = await startMongoServer({ port });
    const mongo = await connectMongo({ uri: `mongodb://127.0.0.1:${port}/outage`, serverSelectionTimeoutMS: 500 });
    try {
      const Thing = mongo.connection.model('Thing', new mongoose.Schema({ name: { type: String, required: true } }));
      await Thing.create({ name: 'before' });
      const refused = await Thing.create({}).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(mongoose.Error.ValidationError);
      expect(isStoreUnavailable(refused)).toBe(false);
      const duplicate = await Thing.create({ _id: (await Thing.findOne())!._id, name: 'again' }).catch(
        (e: unknown) => e,
      );
      expect(duplicate).toMatchObject({ code: 11000 });
      expect(isStoreUnavailable(duplicate)).toBe(false);

      await server.stop();
      const failed = await Thing.findOne({ name: 'before' }).catch((err: unknown) => err);
      expect(failed).toBeInstanceOf(Error);
      expect(isStoreUnavailable(failed)).toBe(true);
      // Wrapped by a use case, it still is.
      expect(isStoreUnavailable(new Error('could not load the release', { cause: failed }))).toBe(true);
    } finally {
      await mongo.close();
      await server.stop();
    }
  });
});
