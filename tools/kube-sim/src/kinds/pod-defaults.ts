import { imageTag } from '@flightdeck/workload-sim';
import { randomSuffix } from '../api/cluster-api.js';
import { isPlainObject } from '../api/types.js';

/** The defaults Kubernetes fills into every pod spec, so templates compare equal after a round trip. */

function defaultContainer(c: unknown): void {
  if (!isPlainObject(c)) return;
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  if (c.imagePullPolicy === undefined && typeof c.image === 'string') {
    const tag = imageTag(c.image);
    c.imagePullPolicy = tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  c.resources ??= {};
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isPlainObject(p)) p.protocol ??= 'TCP';
}

export function defaultPodSpec(spec: unknown): void {
  if (!isPlainObject(spec)) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  if (Array.isArray(spec.containers)) spec.containers.forEach(defaultContainer);
  if (Array.isArray(spec.initContainers)) spec.initContainers.forEach(defaultContainer);
}

export function defaultPodTemplate(template: unknown): void {
  if (!isPlainObject(template)) return;
  template.metadata ??= {};
  defaultPodSpec(template.spec);
}

const tokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * What the API server's admission adds to a new pod: its service account (and the API token volume, mounted in
 * every container, unless the pod turns automountServiceAccountToken off), the default priority, the tolerations
 * for a node that is not ready or unreachable (DefaultTolerationSeconds). Idempotent: a pod that has them keeps them.
 */
export function admitPod(spec: unknown): void {
  if (!isPlainObject(spec)) return;
  spec.serviceAccountName ??= 'default';
  spec.serviceAccount = spec.serviceAccountName;
  spec.enableServiceLinks ??= true;
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  const tolerations = (spec.tolerations = Array.isArray(spec.tolerations) ? spec.tolerations : []);
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'])
    if (!tolerations.some((t) => isPlainObject(t) && t.key === key && t.effect === 'NoExecute'))
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  if (spec.automountServiceAccountToken === false) return;
  const volumes = (spec.volumes = Array.isArray(spec.volumes) ? spec.volumes : []);
  let volume = volumes.find(
    (v) => isPlainObject(v) && typeof v.name === 'string' && v.name.startsWith('kube-api-access-'),
  ) as Record<string, unknown> | undefined;
  if (!volume) {
    volume = {
      name: `kube-api-access-${randomSuffix()}`,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          {
            downwardAPI: {
              items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
            },
          },
        ],
      },
    };
    volumes.push(volume);
  }
  for (const list of [spec.containers, spec.initContainers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (!isPlainObject(c)) continue;
      const mounts = (c.volumeMounts = Array.isArray(c.volumeMounts) ? c.volumeMounts : []);
      if (!mounts.some((m) => isPlainObject(m) && m.mountPath === tokenMountPath))
        mounts.push({ name: volume.name, readOnly: true, mountPath: tokenMountPath });
    }
  }
}

/** The quality-of-service class Kubernetes gives a pod from its containers' requests and limits. */
export function qosClass(spec: unknown): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const containers = (isPlainObject(spec) && Array.isArray(spec.containers) ? spec.containers : []).filter(
    isPlainObject,
  );
  const resources = containers.map((c) => (isPlainObject(c.resources) ? c.resources : {}));
  const set = (r: unknown) => isPlainObject(r) && Object.keys(r).length > 0;
  if (resources.every((r) => !set(r.requests) && !set(r.limits))) return 'BestEffort';
  const guaranteed = resources.every((r) => {
    const limits = isPlainObject(r.limits) ? r.limits : {};
    const requests = isPlainObject(r.requests) ? r.requests : limits;
    return ['cpu', 'memory'].every(
      (k) => limits[k] !== undefined && String(requests[k] ?? limits[k]) === String(limits[k]),
    );
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
