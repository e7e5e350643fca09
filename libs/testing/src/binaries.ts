import { execFileSync } from 'node:child_process';

const installHints: Record<string, string> = {
  'nats-server':
    'install it with `apt-get install -y nats-server` (Debian) or from https://nats.io/download, then make sure it is on PATH',
  prometheus:
    'install it with `apt-get update && apt-get install -y prometheus` (Debian), then make sure it is on PATH',
  promtool:
    'it comes with Prometheus: install it with `apt-get update && apt-get install -y prometheus` (Debian), then make sure it is on PATH',
  'prometheus-alertmanager':
    'install it with `apt-get update && apt-get install -y prometheus-alertmanager` (Debian), then make sure it is on PATH',
  kubectl:
    'install it with `apt-get update && apt-get install -y kubernetes-client` (Debian), then make sure it is on PATH',
};

/** Returns the absolute path of a binary on PATH, or throws an error saying how to install it. */
export function requireBinary(name: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${name} was not found on PATH: ${installHints[name] ?? `install ${name}`}.`);
  }
}

export function hasBinary(name: string): boolean {
  try {
    requireBinary(name);
    return true;
  } catch {
    return false;
  }
}
