import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '@flightdeck/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/service-with-shutdown.ts', import.meta.url));

interface Service {
  child: ChildProcess;
  url: string;
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
  waitFor(msg: string): Promise<Record<string, unknown>>;
}

async function startService(env: Record<string, string>): Promise<Service> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let buffer = '';
  child.stdout?.on('data', (d: Buffer) => {
    buffer += d.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as Record<string, unknown>);
  });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (msg: string) => {
    for (let i = 0; i < 300; i++) {
      const line = lines.find((l) => l.msg === msg);
      if (line) return line;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no log line '${msg}'; stderr: ${stderr}; lines: ${JSON.stringify(lines)}`);
  };
  const listening = await waitFor('shutdown-fixture listening');
  return { child, url: String(listening.url), lines, exited, waitFor };
}

describe('graceful shutdown of a service process on SIGTERM', () => {
  let nats: NatsServerHandle;
  beforeAll(async () => {
    nats = await startNatsServer();
  });
  afterAll(async () => {
    await nats?.stop();
  });

  it('stops intake, finishes the in-flight request and work, drains NATS, in order, and exits 0', async () => {
    const service = await startService({ NATS_URL: nats.url, SHUTDOWN_DEADLINE_MS: '5000' });
    const nc = await connect({ servers: nats.url });
    nc.publish('fixture.work', 'hello');
    await nc.flush();
    await service.waitFor('message handled');

    const inFlight = fetch(`${service.url}/slow`);
    await service.waitFor('slow request started');
    service.child.kill('SIGTERM');
    await service.waitFor('shutdown started');
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    expect(await service.exited).toBe(0);
    await nc.close();

    const msgs = service.lines.map((l) => l.msg);
    const steps = [
      'shutdown started',
      'shutdown step done: stop intake',
      'shutdown step done: drain NATS',
      'shutdown step done: finish in-flight work',
      'shutdown step done: flush logs',
      'shutdown finished',
    ];
    expect(msgs.filter((m) => steps.includes(String(m)))).toEqual(steps);
    // The background job (1 s) was still running when the signal came; its step waited for it.
    const at = (m: string) => msgs.indexOf(m);
    expect(at('background job done')).toBeGreaterThan(at('shutdown started'));
    expect(at('background job done')).toBeLessThan(at('shutdown step done: finish in-flight work'));
    expect(service.lines.find((l) => l.msg === 'shutdown started')).toMatchObject({
      reason: 'SIGTERM',
      deadlineMs: 5000,
    });
  });

  it('gives up past the deadline, logs what did not finish and exits 1', async () => {
    const service = await startService({
      NATS_URL: nats.url,
      SHUTDOWN_DEADLINE_MS: '400',
      HANG_STEP: 'finish in-flight work',
    });
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(1);
    const gaveUp = service.lines.find((l) => l.level === 'error');
    expect(gaveUp).toMatchObject({
      msg: 'shutdown gave up after 400 ms: finish in-flight work, flush logs did not finish',
      completed: ['stop intake', 'drain NATS'],
      unfinished: ['finish in-flight work', 'flush logs'],
    });
  });
});
