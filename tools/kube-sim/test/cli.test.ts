import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startProcess, type RunningProcess } from '@flightdeck/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const run = promisify(execFile);
const readyLine = /^ready (http:\/\/127\.0\.0\.1:\d+) metrics (http:\/\/127\.0\.0\.1:\d+\/metrics)$/m;

async function launch(args: string[]): Promise<RunningProcess> {
  return startProcess(process.execPath, ['--import', 'tsx', main, ...args], {
    name: 'kube-sim',
    isReady: (out) => readyLine.test(out),
    timeoutMs: 20_000,
  });
}

describe('npm run kube-sim', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-sim-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it(
    'prints the ready line, writes a kubeconfig client-node loads, keeps --state across a restart and exits 0 on SIGTERM',
    async () => {
      const kubeconfig = join(dir, 'kubeconfig');
      const state = join(dir, 'state.json');
      const args = [
        '--port',
        '0',
        '--kubeconfig',
        kubeconfig,
        '--state',
        state,
        '--time-scale',
        '10',
        '--token',
        't0ken',
        '--log-level',
        'warn',
      ];
      let proc = await launch(args);
      const [, url, metrics] = readyLine.exec(proc.output())!;
      expect(metrics).toBe(`${url}/metrics`);
      const client = () => {
        const kc = new KubeConfig();
        kc.loadFromFile(kubeconfig);
        return kc.makeApiClient(CoreV1Api);
      };
      await client().createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'kept' }, data: { release: '1.2.3' } },
      });
      expect((await fetch(metrics!)).status).toBe(200);
      await proc.stop('SIGTERM');
      expect(proc.child.exitCode).toBe(0);

      proc = await launch(args);
      try {
        const kept = await client().readNamespacedConfigMap({ name: 'kept', namespace: 'default' });
        expect(kept.data).toEqual({ release: '1.2.3' });
      } finally {
        await proc.stop('SIGTERM');
      }
      expect(proc.child.exitCode).toBe(0);
      // Two starts of up to 20 s each (launch) and two stops of up to 5 s: the test's own bound covers them.
    },
    2 * 20_000 + 2 * 5_000,
  );

  it('has --help and refuses a bad option with a clear message', async () => {
    const [help, bad] = await Promise.all([
      run(process.execPath, ['--import', 'tsx', main, '--help']),
      run(process.execPath, [
        '--import',
        'tsx',
        main,
        '--port',
        '0',
        '--kubeconfig',
        join(dir, 'k'),
        '--time-scale',
        'fast',
      ]).catch((e: { code: number; stderr: string }) => e),
    ]);
    expect((help as { stdout: string }).stdout).toContain('--time-scale <x>');
    expect((help as { stdout: string }).stdout).toContain('--behaviours <file>');
    expect(bad).toMatchObject({ code: 1 });
    expect((bad as { stderr: string }).stderr).toMatch(/time scale must be a positive number/);
  });
});
