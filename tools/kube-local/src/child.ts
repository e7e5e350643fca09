import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

export interface ChildOptions {
  /** Every line the process writes goes to this file. */
  logFile: string;
  /** Also copy its output to our stderr, each line prefixed with the component's name. */
  echo?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const keptLines = 200;

/** One of kube-local's components (etcd, kube-apiserver, …) running as a child process. */
export class Child {
  readonly process: ChildProcess;
  readonly exited: Promise<Exit>;
  private readonly lines: string[] = [];
  private readonly log: WriteStream;
  private partial = '';
  private exit?: Exit;

  constructor(
    readonly name: string,
    binary: string,
    args: string[],
    opts: ChildOptions,
  ) {
    this.log = createWriteStream(opts.logFile, { flags: 'a' });
    // Its own process group: a Ctrl-C in the terminal reaches kube-local alone, which then stops the components in
    // order (clients before etcd) instead of all of them at once.
    this.process = spawn(binary, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
      detached: true,
    });
    const take = (chunk: Buffer) => {
      this.log.write(chunk);
      const text = this.partial + chunk.toString();
      const parts = text.split('\n');
      this.partial = parts.pop() ?? '';
      for (const line of parts) {
        this.lines.push(line);
        if (opts.echo) process.stderr.write(`[${name}] ${line}\n`);
      }
      if (this.lines.length > keptLines) this.lines.splice(0, this.lines.length - keptLines);
    };
    this.process.stdout!.on('data', take);
    this.process.stderr!.on('data', take);
    this.exited = new Promise((resolve) => {
      this.process.once('error', (err) => {
        this.lines.push(`could not start ${binary}: ${err.message}`);
        this.exit = { code: -1, signal: null };
        resolve(this.exit);
      });
      this.process.once('close', (code, signal) => {
        if (this.partial) this.lines.push(this.partial);
        this.exit ??= { code, signal };
        this.log.end();
        resolve(this.exit);
      });
    });
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** The last lines the process wrote. */
  tail(n = 30): string[] {
    return this.lines.slice(-n);
  }

  /** Stops the process: SIGTERM, then SIGKILL if it is still running after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
