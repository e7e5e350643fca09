import { describe, expect, it } from 'vitest';
import { createShutdown } from '../src/index.js';
import { capturedLogger } from './capture.js';

describe('createShutdown', () => {
  it('runs the steps in order, each after the previous one finished, and logs each', async () => {
    const { logger, lines } = capturedLogger();
    const events: string[] = [];
    const step = (name: string, ms: number) => ({
      name,
      run: async () => {
        events.push(`${name} started`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`${name} done`);
      },
    });
    const shutdown = createShutdown({
      logger,
      deadlineMs: 2000,
      steps: [
        step('stop intake', 20),
        step('drain NATS', 5),
        step('finish in-flight work', 10),
        step('close MongoDB', 1),
      ],
    });
    const result = await shutdown.run('SIGTERM');
    expect(events).toEqual([
      'stop intake started',
      'stop intake done',
      'drain NATS started',
      'drain NATS done',
      'finish in-flight work started',
      'finish in-flight work done',
      'close MongoDB started',
      'close MongoDB done',
    ]);
    expect(result).toEqual({
      reason: 'SIGTERM',
      completed: ['stop intake', 'drain NATS', 'finish in-flight work', 'close MongoDB'],
      failed: [],
      unfinished: [],
      timedOut: false,
    });
    expect(lines.map((l) => l.msg)).toEqual([
      'shutdown started',
      'shutdown step done: stop intake',
      'shutdown step done: drain NATS',
      'shutdown step done: finish in-flight work',
      'shutdown step done: close MongoDB',
      'shutdown finished',
    ]);
  });

  it('logs a failing step and still runs the next ones', async () => {
    const { logger, lines } = capturedLogger();
    const ran: string[] = [];
    const shutdown = createShutdown({
      logger,
      deadlineMs: 1000,
      steps: [
        { name: 'drain NATS', run: () => Promise.reject(new Error('connection already closed')) },
        { name: 'close MongoDB', run: async () => void ran.push('close MongoDB') },
      ],
    });
    const result = await shutdown.run('SIGINT');
    expect(result).toMatchObject({ completed: ['close MongoDB'], failed: ['drain NATS'], timedOut: false });
    expect(ran).toEqual(['close MongoDB']);
    expect(lines.find((l) => l.msg === 'shutdown step failed: drain NATS')).toMatchObject({
      level: 'error',
      err: { message: 'connection already closed' },
    });
  });

  it('gives up at the deadline and names every step that did not finish', async () => {
    const { logger, lines } = capturedLogger();
    const started: string[] = [];
    const shutdown = createShutdown({
      logger,
      deadlineMs: 150,
      steps: [
        { name: 'stop intake', run: async () => void started.push('stop intake') },
        {
          name: 'finish in-flight work',
          run: () => (started.push('finish in-flight work'), new Promise<void>(() => {})),
        },
        { name: 'close MongoDB', run: async () => void started.push('close MongoDB') },
      ],
    });
    const result = await shutdown.run('SIGTERM');
    expect(result).toEqual({
      reason: 'SIGTERM',
      completed: ['stop intake'],
      failed: [],
      unfinished: ['finish in-flight work', 'close MongoDB'],
      timedOut: true,
    });
    expect(started).toEqual(['stop intake', 'finish in-flight work']);
    const gaveUp = lines.find((l) => l.level === 'error');
    expect(gaveUp?.msg).toBe('shutdown gave up after 150 ms: finish in-flight work, close MongoDB did not finish');
    expect(gaveUp).toMatchObject({
      unfinished: ['finish in-flight work', 'close MongoDB'],
      completed: ['stop intake'],
    });
  });

  it('runs only once when asked twice (SIGTERM then SIGINT)', async () => {
    const { logger } = capturedLogger();
    let runs = 0;
    const shutdown = createShutdown({
      logger,
      deadlineMs: 500,
      steps: [{ name: 'close MongoDB', run: async () => void runs++ }],
    });
    const [a, b] = await Promise.all([shutdown.run('SIGTERM'), shutdown.run('SIGINT')]);
    expect(runs).toBe(1);
    expect(b).toBe(a);
    expect(a.reason).toBe('SIGTERM');
  });
});
