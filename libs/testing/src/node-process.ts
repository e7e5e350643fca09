import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface ServiceProcess {
  name: string;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  child: ChildProcess;
  /** The process's stdout and stderr so far (its log file). */
  log(): string;
  /** SIGTERM (graceful shutdown, which also writes a --cpu-prof profile), SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

/** A service process that can be killed and started again on the same port (fault injection). */
export interface RestartableServiceProcess extends ServiceProcess {
  /** The process now running (it changes on each restart). */
  current(): ServiceProcess;
  /** Sends `signal` (SIGKILL: no graceful shutdown) and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again with the same options (log appended), waiting for /readyz. */
  start(): Promise<void>;
}

export interface ServiceProcessOptions {
  name: string;
  /** A TypeScript entry point, relative to `cwd`, run with `node --import tsx`. */
  entry: string;
  /** The checkout to run it in (its node_modules are used); default this repository. */
  cwd?: string;
  port: number;
  env: Record<string, string>;
  /** Where its stdout and stderr go (a file, so a busy access log costs the service a write and nothing else). */
  logDir: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** Modules loaded before the entry (after tsx, so they may be TypeScript), e.g. the soak's heap probe. */
  imports?: string[];
  readyTimeoutMs?: number;
  /** Append to the log file instead of truncating it (a restart). */
  appendLog?: boolean;
}

/** Starts a Flightdeck service (or a benchmark's own server) as its own node process and waits for its /readyz. */
export async function startServiceProcess(opts: ServiceProcessOptions): Promise<ServiceProcess> {
  const logPath = join(opts.logDir, `${opts.name}.log`);
  const fd = openSync(logPath, opts.appendLog ? 'a' : 'w');
  const imports = (opts.imports ?? []).flatMap((m) => ['--import', pathToFileURL(m).href]);
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', ...imports, opts.entry], {
    cwd: opts.cwd ?? repoRoot,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(opts.port), ...opts.env },
  });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => readFileSync(logPath, 'utf8');
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `${opts.name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${log().slice(-4000)}`,
      );
    const ready = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `${opts.name} was not ready at ${baseUrl}/readyz within ${opts.readyTimeoutMs ?? 90_000} ms:\n${log().slice(-4000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name: opts.name,
    baseUrl,
    child,
    log,
    async stop(timeoutMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** startServiceProcess, with kill and start again on the same port, for fault injection. */
export async function startRestartableServiceProcess(opts: ServiceProcessOptions): Promise<RestartableServiceProcess> {
  let proc = await startServiceProcess(opts);
  const exited = (child: ChildProcess) =>
    new Promise<void>((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
    );
  return {
    name: opts.name,
    baseUrl: proc.baseUrl,
    get child() {
      return proc.child;
    },
    current: () => proc,
    log: () => proc.log(),
    stop: (timeoutMs) => proc.stop(timeoutMs),
    async kill(signal = 'SIGKILL') {
      const done = exited(proc.child);
      proc.child.kill(signal);
      await done;
    },
    async start() {
      if (proc.child.exitCode === null && proc.child.signalCode === null)
        throw new Error(`${opts.name} is still running (pid ${proc.child.pid}): kill it first`);
      proc = await startServiceProcess({ ...opts, appendLog: true });
    },
  };
}

export interface ReadyLineProcess {
  child: ChildProcess;
  /** What the process printed after "ready", e.g. its URL. */
  ready: string[];
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Starts a tool that prints "ready <url> ..." on stdout when it listens (tools/mongo-server, tools/kube-sim), as its
 * own node process; its stderr goes to `<logDir>/<name>.log`.
 */
export async function startReadyLineProcess(opts: {
  name: string;
  entry: string;
  args: string[];
  logDir: string;
  timeoutMs?: number;
}): Promise<ReadyLineProcess> {
  const fd = openSync(join(opts.logDir, `${opts.name}.log`), 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', opts.entry, ...opts.args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', fd],
  });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${opts.name} printed no "ready" line within ${opts.timeoutMs ?? 60_000} ms`)),
      opts.timeoutMs ?? 60_000,
    );
    let out = '';
    const onData = (b: Buffer) => {
      out += b.toString();
      const line = /^ready (.*)$/m.exec(out);
      if (!line) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve(line[1]!.trim().split(/\s+/));
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`${opts.name} exited (${code}) before it was ready; see ${join(opts.logDir, `${opts.name}.log`)}`),
      );
    });
  });
  return {
    child,
    ready,
    async stop(timeoutMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
