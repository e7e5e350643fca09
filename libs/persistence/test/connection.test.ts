import { describe, expect, inject, it } from 'vitest';
import type {} from '@flightdeck/testing/global-setup';
import mongoose from 'mongoose';
import { databaseUri, freePort } from '@flightdeck/testing';
import { startMongoServer } from '@flightdeck/mongo-server';
import { connectMongo, redactUri } from '../src/index.js';

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

  it('rejects a URI that is not a MongoDB connection string, saying what is expected', async () => {
    await expect(connectMongo({ uri: 'postgres://localhost/db' })).rejects.toThrow(
      /expected mongodb:\/\/host:port\/database/,
    );
    expect(redactUri('mongodb://u:p@h:1/d')).toBe('mongodb://u:***@h:1/d');
  });
});
