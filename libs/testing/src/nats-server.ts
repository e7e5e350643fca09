import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBinary } from './binaries.js';
import { freePort } from './free-port.js';
import { startProcess, type RunningProcess } from './process.js';

export interface NatsServerHandle {
  url: string;
  port: number;
  storeDir: string;
  /** Stops the server; with `keepStore` the JetStream store survives for a restart on the same port. */
  stop(opts?: { keepStore?: boolean }): Promise<void>;
  /** Stops the server and starts it again on the same port and store, after `downMs` (0 by default). */
  restart(opts?: { downMs?: number }): Promise<void>;
}

/** Starts a real `nats-server -js` on a free port with its own temporary store directory. */
export async function startNatsServer(opts: { port?: number; storeDir?: string } = {}): Promise<NatsServerHandle> {
  const binary = requireBinary('nats-server');
  const port = opts.port ?? (await freePort());
  const storeDir = opts.storeDir ?? (await mkdtemp(join(tmpdir(), 'flightdeck-nats-')));
  const launch = () =>
    startProcess(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
      name: 'nats-server',
      isReady: (out) => out.includes('Server is ready'),
    });
  let proc: RunningProcess = await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    async stop({ keepStore = false } = {}) {
      await proc.stop();
      if (!keepStore) await rm(storeDir, { recursive: true, force: true });
    },
    async restart({ downMs = 0 } = {}) {
      await proc.stop();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      proc = await launch();
    },
  };
}
