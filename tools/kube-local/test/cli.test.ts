import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, launch, main, readyLine, run } from './helpers.js';

/** Every process below `pid` (children, their children, …), with its command name. */
function descendantsOf(pid: number): { pid: number; command: string }[] {
  const all = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .map(([p, pp, command]) => ({ pid: Number(p), ppid: Number(pp), command: command! }));
  const found: { pid: number; command: string }[] = [];
  const walk = (parent: number) => {
    for (const p of all.filter((x) => x.ppid === parent)) {
      found.push({ pid: p.pid, command: p.command });
      walk(p.pid);
    }
  };
  walk(pid);
  return found;
}

const components = ['etcd', 'kube-apiserver', 'kube-controller', 'kube-scheduler', 'kwok'];

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run kube-local', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-local-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lists every option in --help', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', main, '--help']);
    for (const option of [
      '--port <n>',
      '--kubeconfig <file>',
      '--data-dir <dir>',
      '--behaviours <file>',
      '--pod-start-seconds <s>',
      '--metrics-port <n>',
      '--nodes <n>',
      '--controllers <list>',
      '--bin-dir <dir>',
      '--start-timeout <s>',
      '--verbose',
      '--log-level <level>',
    ]) {
      expect(stdout).toContain(option);
    }
    expect(stdout).toMatch(/SIGTERM/);
  });

  it('refuses a bad option value with a clear message', async () => {
    const failed = await run(process.execPath, [
      '--import',
      'tsx',
      main,
      '--port',
      'http',
      '--kubeconfig',
      join(dir, 'k'),
    ]).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(/a port is an integer from 0 to 65535/);
  });

  it('prints the ready line, serves kubectl with the kubeconfig it wrote, and on SIGTERM to npm stops every component and removes its files', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    const p = launch(['--port', '0', '--kubeconfig', kubeconfig, '--log-level', 'info'], true);
    try {
      const { url, metricsUrl } = await readyLine(p);
      const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', '--raw', '/readyz']);
      expect(stdout).toBe('ok');
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(metricsUrl)).status).toBe(200);

      const below = descendantsOf(p.child.pid!);
      expect(
        below
          .map((c) => c.command)
          .filter((c) => components.includes(c))
          .sort(),
      ).toEqual([...components].sort());
      const runDir = /"runDir":"([^"]+)"/.exec(p.stderr())?.[1];
      expect(runDir && existsSync(runDir)).toBe(true);

      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      // npm passes the signal on to kube-local (the script execs tsx), which stops its components: nothing is left.
      await eventually('every process below npm gone', async () => below.every((c) => !alive(c.pid)), 15_000);
      expect(existsSync(runDir!)).toBe(false);
    } finally {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
    }
  });

  it('on SIGTERM while starting, stops what it started, removes its files and says so', async () => {
    const p = launch(['--port', '0', '--kubeconfig', join(dir, 'early')]);
    try {
      // As soon as the API server is being started: etcd is up, the API server is on its way.
      const deadline = Date.now() + 60_000;
      while (!/"component":"kube-apiserver","msg":"starting"/.test(p.stderr()) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const started = descendantsOf(p.child.pid!);
      expect(started.map((c) => c.command)).toContain('etcd');
      const runDir = /"runDir":"([^"]+)"/.exec(p.stderr())![1]!;
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(1);
      expect(p.stderr()).toContain('kube-local: stopped while starting (SIGTERM)');
      expect(p.stdout()).not.toMatch(/^ready/m);
      for (const c of started) expect(alive(c.pid), `${c.command} (pid ${c.pid}) still running`).toBe(false);
      expect(existsSync(runDir)).toBe(false);
      expect(existsSync(join(dir, 'early'))).toBe(false);
    } finally {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
    }
  });
});
