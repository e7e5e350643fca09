import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A certificate and its key, as files and as PEM text. */
export interface CertFiles {
  cert: string;
  key: string;
  certPem: string;
  keyPem: string;
}

/** The cluster's keys: a CA, the API server's serving certificate, a client certificate per user, the service-account key. */
export interface Pki {
  ca: CertFiles;
  apiserver: CertFiles;
  admin: CertFiles;
  controllerManager: CertFiles;
  scheduler: CertFiles;
  kwok: CertFiles;
  /** Signs service-account tokens (the API server and the controller manager share it). */
  serviceAccountKey: string;
  serviceAccountPub: string;
}

const curve = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT')
      throw new Error(
        'openssl was not found on PATH: kube-local makes its certificates with it (Debian: apt-get install -y openssl)',
      );
    throw new Error(`openssl ${args[0]} failed: ${err.stderr?.trim() || err.message}`);
  }
}

async function files(dir: string, name: string): Promise<CertFiles> {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  return { cert, key, certPem: await readFile(cert, 'utf8'), keyPem: await readFile(key, 'utf8') };
}

async function leaf(
  dir: string,
  ca: CertFiles,
  name: string,
  subject: string,
  extensions: string[],
): Promise<CertFiles> {
  const ext = extensions.flatMap((e) => ['-addext', e]);
  await openssl([
    'req',
    '-x509',
    ...curve,
    '-keyout',
    join(dir, `${name}.key`),
    '-out',
    join(dir, `${name}.crt`),
    '-days',
    '365',
    '-subj',
    subject,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    ...ext,
  ]);
  return files(dir, name);
}

/**
 * Makes a fresh self-signed CA and every certificate the cluster needs (EC P-256, valid one year) in `dir`.
 * Users are identified by their certificate: `O` is the group, `CN` the user name.
 */
export async function makePki(dir: string): Promise<Pki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await openssl([
    'req',
    '-x509',
    ...curve,
    '-keyout',
    join(dir, 'ca.key'),
    '-out',
    join(dir, 'ca.crt'),
    '-days',
    '3650',
    '-subj',
    '/CN=kube-local-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const ca = await files(dir, 'ca');
  const client = ['extendedKeyUsage=clientAuth', 'keyUsage=critical,digitalSignature'];
  const [apiserver, admin, controllerManager, scheduler, kwok] = await Promise.all([
    leaf(dir, ca, 'apiserver', '/CN=kube-apiserver', [
      'extendedKeyUsage=serverAuth',
      'keyUsage=critical,digitalSignature',
      // 10.96.0.1 is the `kubernetes` Service's address in the service range kube-local gives the API server.
      'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
    ]),
    leaf(dir, ca, 'admin', '/O=system:masters/CN=kube-local-admin', client),
    leaf(dir, ca, 'controller-manager', '/CN=system:kube-controller-manager', client),
    leaf(dir, ca, 'scheduler', '/CN=system:kube-scheduler', client),
    // kwok plays every node's kubelet and writes pod and node status, leases and events cluster-wide.
    leaf(dir, ca, 'kwok', '/O=system:masters/CN=kwok', client),
  ]);
  const serviceAccountKey = join(dir, 'service-account.key');
  const serviceAccountPub = join(dir, 'service-account.pub');
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', serviceAccountKey]);
  await openssl(['pkey', '-in', serviceAccountKey, '-pubout', '-out', serviceAccountPub]);
  return { ca, apiserver, admin, controllerManager, scheduler, kwok, serviceAccountKey, serviceAccountPub };
}
