import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const LOWEST = 10_000;

/** Where the kernel's ephemeral ports (outgoing connections, listens on port 0) start; Linux's default otherwise. */
function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low && low > LOWEST + 1000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function listensOn(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
    });
  });
}

/**
 * A free TCP port on 127.0.0.1, below the kernel's ephemeral range. Tests stop servers and start them again on the
 * same port; while one is down, a port in the ephemeral range can be taken by any process's outgoing connection or
 * port-0 listener, and a client reconnecting to it can even be given it as its own source port and connect to
 * itself. Below the range, only another chosen port can take it.
 */
export async function freePort(): Promise<number> {
  const end = ephemeralRangeStart();
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await listensOn(LOWEST + Math.floor(Math.random() * (end - LOWEST)));
    if (port) return port;
  }
  const port = await listensOn(0);
  if (!port) throw new Error('no free TCP port on 127.0.0.1');
  return port;
}
