import type { Pki } from './pki.js';

/** The command lines of kube-local's components: everything on 127.0.0.1, each on its own port. */

export interface EtcdPorts {
  client: number;
  peer: number;
}

export function etcdArgs(dataDir: string, ports: EtcdPorts): string[] {
  const client = `http://127.0.0.1:${ports.client}`;
  const peer = `http://127.0.0.1:${ports.peer}`;
  return [
    '--name=kube-local',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=kube-local=${peer}`,
    // A throw-away development cluster: losing the last writes on a power cut is fine, waiting for fsync is not.
    '--unsafe-no-fsync',
    '--log-level=warn',
  ];
}

/** The address range of Services; 10.96.0.1 (the `kubernetes` Service) is in the API server's certificate. */
export const serviceClusterIpRange = '10.96.0.0/16';
export const serviceAccountIssuer = 'https://kubernetes.default.svc.cluster.local';

export function apiserverArgs(pki: Pki, port: number, etcdClientPort: number): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${etcdClientPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${port}`,
    `--tls-cert-file=${pki.apiserver.cert}`,
    `--tls-private-key-file=${pki.apiserver.key}`,
    `--client-ca-file=${pki.ca.cert}`,
    '--authorization-mode=Node,RBAC',
    `--service-account-issuer=${serviceAccountIssuer}`,
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    `--service-cluster-ip-range=${serviceClusterIpRange}`,
    '--profiling=false',
    '--v=1',
  ];
}

/**
 * The controllers a Deployment needs, those that keep namespaces and service accounts working, and the node
 * lifecycle controller: it lifts the not-ready taint a new node is created with once kwok reports it Ready, and
 * watches the nodes' heartbeats (the Leases kwok renews in kube-node-lease).
 */
export const defaultControllers = [
  'deployment-controller',
  'replicaset-controller',
  'garbage-collector-controller',
  'namespace-controller',
  'serviceaccount-controller',
  'serviceaccount-token-controller',
  'root-ca-certificate-publisher-controller',
  'endpointslice-controller',
  'node-lifecycle-controller',
  'pod-garbage-collector-controller',
];

export function controllerManagerArgs(pki: Pki, kubeconfig: string, controllers: string[]): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--controllers=${controllers.join(',')}`,
    // Each controller acts as its own service account (system:serviceaccount:kube-system:deployment-controller, …),
    // so RBAC applies to the controllers as in a real cluster.
    '--use-service-account-credentials=true',
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    `--root-ca-file=${pki.ca.cert}`,
    `--service-cluster-ip-range=${serviceClusterIpRange}`,
    // One instance: nothing to elect, and a restart needs no wait for the old lease to run out.
    '--leader-elect=false',
    // No HTTPS endpoint of its own (health and metrics): nothing here needs it, and it would need another port.
    '--secure-port=0',
    '--v=1',
  ];
}

export function schedulerArgs(kubeconfig: string): string[] {
  return [`--kubeconfig=${kubeconfig}`, '--leader-elect=false', '--secure-port=0', '--v=1'];
}

export function kwokArgs(kubeconfig: string, stagesFile: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--config=${stagesFile}`,
    '--manage-all-nodes=true',
    // Pod addresses: room for 65 000 pods; every node reports the one node address.
    '--cidr=10.0.0.1/16',
    '--node-ip=10.1.0.1',
    '--node-lease-duration-seconds=40',
  ];
}
