import { spawn, type ChildProcess } from 'node:child_process';

export interface RunningProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr), for error messages. */
  output(): string;
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
}

/** Spawns a long-running process and waits until `isReady` sees its output (or a probe succeeds). */
export async function startProcess(
  command: string,
  args: string[],
  opts: {
    isReady: (output: string) => boolean | Promise<boolean>;
    timeoutMs?: number;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    name?: string;
  },
): Promise<RunningProcess> {
  const name = opts.name ?? command;
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
    cwd: opts.cwd,
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  let exitCode: number | null = null;
  child.once('exit', (code) => (exitCode = code ?? -1));
  for (;;) {
    if (exitCode !== null) throw new Error(`${name} exited with code ${exitCode} before it was ready:\n${out}`);
    if (await opts.isReady(out)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not ready within ${opts.timeoutMs ?? 15_000} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    child,
    output: () => out,
    async stop(signal = 'SIGTERM', timeoutMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
