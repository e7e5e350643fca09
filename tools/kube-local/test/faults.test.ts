import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryNames } from '../src/index.js';
import { launch } from './helpers.js';

/** Runs the launcher with `args` and expects it to refuse: exit code 1, and stderr saying why. */
async function refuses(args: string[]): Promise<string> {
  const p = launch(args);
  const code = await p.exited;
  expect(code, `kube-local should have exited with 1; it said:\n${p.stdout()}${p.stderr()}`).toBe(1);
  expect(p.stdout()).not.toMatch(/^ready/m);
  return p.stderr();
}

describe('kube-local says why it cannot start, and exits 1', () => {
  let dir: string;
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-local-faults-'));
    busy = createServer();
    busyPort = await new Promise<number>((resolve) =>
      busy.listen(0, '127.0.0.1', () => resolve((busy.address() as { port: number }).port)),
    );
  });
  afterAll(async () => {
    busy?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('when the binaries are not built', async () => {
    const empty = join(dir, 'no-bin');
    await mkdir(empty);
    const stderr = await refuses(['--port', '0', '--kubeconfig', join(dir, 'k1'), '--bin-dir', empty]);
    expect(stderr).toContain(
      `kube-local: kube-local is not built: ${binaryNames.join(', ')} are missing from ${empty}`,
    );
    expect(stderr).toContain('npm run kube-local:build');
  });

  it("when the API server's port is taken", async () => {
    const stderr = await refuses(['--port', String(busyPort), '--kubeconfig', join(dir, 'k2')]);
    expect(stderr).toContain(
      `kube-local: the API server port ${busyPort} on 127.0.0.1 is already in use by another process`,
    );
  });

  it('when the metrics port is taken', async () => {
    const stderr = await refuses(['--port', '0', '--metrics-port', String(busyPort), '--kubeconfig', join(dir, 'k3')]);
    expect(stderr).toContain(`the metrics port ${busyPort} on 127.0.0.1 is already in use`);
  });

  it('when the etcd data dir cannot be a directory', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a directory');
    const stderr = await refuses(['--port', '0', '--kubeconfig', join(dir, 'k4'), '--data-dir', join(file, 'etcd')]);
    expect(stderr).toContain(`kube-local: the etcd data dir ${join(file, 'etcd')} cannot be used: ENOTDIR`);
  });

  it("when etcd cannot use what is in its data dir, in etcd's own words, leaving nothing running or behind", async () => {
    const data = join(dir, 'corrupt');
    await mkdir(join(data, 'member', 'snap'), { recursive: true, mode: 0o700 });
    await mkdir(join(data, 'member', 'wal'), { recursive: true, mode: 0o700 });
    await writeFile(join(data, 'member', 'snap', 'db'), 'this is not a bbolt database'.repeat(200));
    await writeFile(
      join(data, 'member', 'wal', '0000000000000000-0000000000000000.wal'),
      'nor is this a write-ahead log',
    );
    const stderr = await refuses(['--port', '0', '--kubeconfig', join(dir, 'k5'), '--data-dir', data]);
    expect(stderr).toMatch(
      new RegExp(`kube-local: etcd \\(data dir ${data}\\) did not start: etcd exited with code \\d+:\\n`),
    );
    // What etcd itself said about it follows (its last error lines).
    expect(stderr.split('did not start:')[1]).toMatch(/wal|snap|database|db|file/i);
    const runDir = /"runDir":"([^"]+)"/.exec(stderr)?.[1];
    expect(runDir).toBeDefined();
    expect(existsSync(runDir!)).toBe(false);
    expect(existsSync(join(data, 'member', 'snap', 'db'))).toBe(true); // a data dir it was given is never removed
  });
});
