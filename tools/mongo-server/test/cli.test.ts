import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { MAIN, startCli } from './cli-process.js';

const run = promisify(execFile);

describe('mongo-server CLI', () => {
  it('prints one ready line, serves, and exits cleanly on SIGTERM', async () => {
    const cli = await startCli(['--port', '0']);
    const client = await MongoClient.connect(cli.uri);
    await client.db('cli').collection('c').insertOne({ a: 1 });
    expect(await client.db('cli').collection('c').countDocuments()).toBe(1);
    await client.close();
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.output().match(/^ready /gm)).toHaveLength(1);
  });

  it('listens on the interface --host names (the default is 127.0.0.1 only)', async () => {
    const cli = await startCli(['--port', '0', '--host', '::1']);
    expect(cli.uri).toMatch(/^mongodb:\/\/\[::1\]:\d+$/);
    const client = await MongoClient.connect(cli.uri, { serverSelectionTimeoutMS: 5_000 });
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    await client.close();
    const loopbackV4 = await MongoClient.connect(cli.uri.replace('[::1]', '127.0.0.1'), {
      serverSelectionTimeoutMS: 1_000,
    }).catch((e: Error) => e);
    expect(loopbackV4).toBeInstanceOf(Error);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
  });

  it('has --help and refuses a bad port with a clear message', async () => {
    const [help, bad] = await Promise.all([
      run(process.execPath, ['--import', 'tsx', MAIN, '--help']),
      run(process.execPath, ['--import', 'tsx', MAIN, '--port', 'abc']).catch((e) => e),
    ]);
    expect(help.stdout).toMatch(/--dbpath <dir>/);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/'abc' is not a port/);
  });
});
