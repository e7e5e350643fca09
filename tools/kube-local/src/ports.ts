import { createServer } from 'node:net';
import { StartError } from './wait.js';

/** Binds 127.0.0.1:`port` for a moment (0: any free port) and returns the port it got. */
function bind(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export function freePort(): Promise<number> {
  return bind(0);
}

/** Checks that `port` on 127.0.0.1 can be listened on, and says so plainly when it cannot. */
export async function checkPortFree(port: number, what: string): Promise<void> {
  try {
    await bind(port);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new StartError(
        `${what} port ${port} on 127.0.0.1 is already in use by another process: choose another port, or 0 for a free one`,
      );
    if (code === 'EACCES')
      throw new StartError(
        `${what} port ${port} on 127.0.0.1 needs privileges this process does not have: choose a port above 1023, or 0 for a free one`,
      );
    throw new StartError(`${what} port ${port} on 127.0.0.1 cannot be listened on: ${(e as Error).message}`);
  }
}
