import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '@flightdeck/testing';
import { JetStreamBus } from '../src/index.js';
import { aRelease, waitFor } from './helpers.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = `${repoRoot}node_modules/.bin/tsx`;

describe('npm run dead-letters', () => {
  let server: NatsServerHandle;
  let bus: JetStreamBus;
  const run = (args: string[], env: Record<string, string> = { NATS_URL: server.url }) =>
    promisify(execFile)(tsx, ['libs/events/src/dead-letters-main.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  beforeAll(async () => {
    server = await startNatsServer();
    bus = await JetStreamBus.connect({ servers: server.url, name: 'dead-letters-cli-test' });
  });
  afterAll(async () => {
    await bus?.close();
    await server?.stop();
  });

  it('lists a consumer’s dead letters, replays them to it after the fix, and then has none', async () => {
    let broken = true;
    const handled: string[] = [];
    const sub = await bus.subscribe({
      durable: 'cli-consumer',
      filter: 'flightdeck.planning.>',
      maxDeliver: 1,
      handler: (e) => {
        if (broken) throw new Error('the projection has a bug');
        handled.push(e.id);
      },
    });
    const event = aRelease();
    await bus.publish(event);
    await waitFor('the dead letter', async () => (await bus.deadLetters({ consumer: 'cli-consumer' })).length === 1);

    const listed = await run(['list', '--consumer', 'cli-consumer']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(
        `cli-consumer {2}failed {2}${event.type} {2}${event.id} {2}after 1 deliveries: Error: the projection has a bug`,
      ),
    );
    expect(listed.stderr).toContain('1 dead letter(s) of cli-consumer');

    broken = false;
    const replayed = await run(['replay', '--consumer', 'cli-consumer']);
    expect(replayed).toMatchObject({ code: 0, stdout: `replayed ${event.type}  ${event.id}\n` });
    await waitFor('the event handled', () => handled.includes(event.id));
    expect((await run(['list', '--consumer', 'cli-consumer'])).stdout).toBe('');
    await sub.stop();
  });

  it('says what is missing without NATS_URL, and names an event id it has no letter for', async () => {
    const noNats = await run(['list'], { NATS_URL: '' });
    expect(noNats.code).toBe(1);
    expect(noNats.stderr).toMatch(/NATS_URL: missing/);
    const none = await run(['replay', '--consumer', 'cli-consumer', '--event', 'no-such-event']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('no dead letter of cli-consumer for no-such-event');
  });
});
