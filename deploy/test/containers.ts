// Runs the service images under podman (through deploy/images/podman.sh, which supplies a containers.conf that
// works on this machine) for the image tests.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './manifests.js';

const run = promisify(execFile);
const podmanScript = join(repoRoot, 'deploy/images/podman.sh');

export const services = ['gateway', 'planning', 'gates', 'deployment', 'analytics'] as const;
export type ServiceName = (typeof services)[number];

/** The names deploy/images/build.sh gives the images by default. */
export const imageOf = (service: ServiceName): string => `localhost/flightdeck/${service}:latest`;

/** The hardening every test container runs with: the shape of the Kubernetes manifests' securityContext. */
export const hardened = [
  '--read-only',
  '--read-only-tmpfs=false',
  '--user',
  '1000:1000',
  '--cap-drop=ALL',
  '--security-opt=no-new-privileges',
];

export async function podman(args: string[], timeoutMs = 60_000): Promise<string> {
  try {
    return (await run(podmanScript, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`podman ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`);
  }
}

/** Fails, saying how to build them, when podman or any of the service images is missing. */
export async function requireImages(): Promise<void> {
  try {
    await run('sh', ['-c', 'command -v podman']);
  } catch {
    throw new Error(
      'podman is not installed: install it (Debian: apt-get install -y podman runc), then build the images with `npx nx run @flightdeck/deploy:images`.',
    );
  }
  const missing: string[] = [];
  for (const service of services) {
    const exists = await run(podmanScript, ['image', 'exists', imageOf(service)]).then(
      () => true,
      () => false,
    );
    if (!exists) missing.push(imageOf(service));
  }
  if (missing.length)
    throw new Error(
      `the container images ${missing.join(', ')} are not built: build them with \`npx nx run @flightdeck/deploy:images\` (or \`bash deploy/images/build.sh\`, see deploy/README.md), then run the tests again.`,
    );
}

export interface Container {
  name: string;
  /** Everything the container wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code of `podman run`, which is the container's. */
  exited: Promise<number>;
  /** Sends a signal to the container's main process (podman kill --signal). */
  signal(signal: NodeJS.Signals): Promise<void>;
  /** Removes the container whatever its state. */
  remove(): Promise<void>;
}

/** `podman run --rm --name NAME ARGS...` in the foreground, so its output and exit code are this process's to read. */
export function startContainer(name: string, args: string[]): Container {
  const child: ChildProcess = spawn(podmanScript, ['run', '--rm', '--name', name, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : -1))),
  );
  return {
    name,
    output: () => out,
    exited,
    signal: async (signal) => void (await podman(['kill', '--signal', signal, name])),
    remove: async () => {
      await run(podmanScript, ['rm', '--force', '--ignore', '--time', '0', name]).catch(() => undefined);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    },
  };
}

/**
 * Polls until `probe` returns a value, failing after `timeoutMs` with what did not happen and the container's
 * output; an error the probe throws fails at once.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  container: Container,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | undefined;
  void container.exited.then((code) => (exitCode = code));
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (exitCode !== undefined)
      throw new Error(`${container.name} exited with code ${exitCode} before ${what}:\n${container.output()}`);
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen within ${timeoutMs} ms; ${container.name} wrote:\n${container.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A probe for waitFor: true once GET url answers 200 (not listening yet counts as not yet). */
export const httpOk = (url: string) => async (): Promise<true | undefined> => {
  const res = await fetch(url).catch(() => undefined);
  return res?.status === 200 ? true : undefined;
};

/** The exit code, failing when the container has not exited within `timeoutMs`. */
export async function exitWithin(container: Container, timeoutMs: number): Promise<number> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () =>
        reject(new Error(`${container.name} did not exit within ${timeoutMs} ms; it wrote:\n${container.output()}`)),
      timeoutMs,
    ).unref(),
  );
  return Promise.race([container.exited, timeout]);
}

/** The JSON log lines (pino) the container wrote. */
export function logLines(container: Container): Record<string, unknown>[] {
  return container
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
