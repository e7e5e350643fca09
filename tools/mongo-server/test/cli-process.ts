import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export interface CliServer {
  child: ChildProcess;
  uri: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the CLI (`tsx src/main.ts ARGS`) and waits for its `ready mongodb://…` line. */
export async function startCli(args: string[], timeoutMs = 20_000): Promise<CliServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mongo-server CLI not ready within ${timeoutMs} ms:\n${out}${err}`));
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^ready (mongodb:\/\/\S+:\d+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`mongo-server CLI exited (${code}) before it was ready:\n${out}${err}`));
    });
  });
  return { child, uri, output: () => out + err, exited };
}
