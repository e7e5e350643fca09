import { cause, type StatusCause } from '../api/errors.js';
import { isPlainObject, type KubeObject } from '../api/types.js';
import { humanAge } from './age.js';
import type { KindDefinition } from './kind.js';
import { admitPod, defaultPodSpec, qosClass } from './pod-defaults.js';
import { checkMetadata, checkPodSpec } from './validation.js';

const nameColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
} as const;
const ageColumn = {
  name: 'Age',
  type: 'string',
  description: 'Time since the object was created.',
  priority: 0,
} as const;

type Rec = Record<string, unknown>;
const obj = (v: unknown): Rec => (isPlainObject(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const namespaces: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  nameForm: 'label',
  statusSubresource: true,
  scaleSubresource: false,
  fieldSelectors: ['status.phase'],
  defaults(o) {
    o.spec ??= { finalizers: ['kubernetes'] };
    o.status = { phase: o.metadata.deletionTimestamp ? 'Terminating' : 'Active' };
    o.metadata.labels = { ...o.metadata.labels, 'kubernetes.io/metadata.name': o.metadata.name ?? '' };
  },
  validate: (o) => checkMetadata(o, 'label'),
  table: {
    columns: [
      nameColumn,
      { name: 'Status', type: 'string', description: 'The phase of the namespace.', priority: 0 },
      ageColumn,
    ],
    cells: (o, now) => [o.metadata.name, obj(o.status).phase ?? 'Active', humanAge(o.metadata.creationTimestamp, now)],
  },
};

function podStatusText(o: KubeObject): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  const status = obj(o.status);
  for (const cs of arr(status.containerStatuses)) {
    const state = obj(obj(cs).state);
    if (isPlainObject(state.waiting) && state.waiting.reason) return String(state.waiting.reason);
    if (isPlainObject(state.terminated) && state.terminated.reason) return String(state.terminated.reason);
  }
  return String(status.phase ?? 'Pending');
}

export const pods: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  nameForm: 'subdomain',
  statusSubresource: true,
  scaleSubresource: false,
  fieldSelectors: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
  ],
  generation: 'spec',
  initialStatus: (o) => ({ phase: 'Pending', qosClass: qosClass(o.spec) }),
  defaults(o) {
    defaultPodSpec(o.spec);
    admitPod(o.spec);
  },
  validate(o, old) {
    const out = [...checkMetadata(o, 'subdomain'), ...checkPodSpec(o.spec, 'spec')];
    if (old && out.length === 0) {
      // Only container images (and a few fields this simulator does not model) may change on a running pod.
      const bindable = !obj(old.spec).nodeName;
      const strip = (s: unknown) =>
        JSON.stringify({
          ...obj(s),
          nodeName: bindable ? undefined : obj(s).nodeName,
          containers: arr(obj(s).containers).map((c) => ({ ...obj(c), image: undefined })),
        });
      if (strip(o.spec) !== strip(old.spec))
        out.push(
          cause.forbidden(
            'spec',
            'pod updates may not change fields other than `spec.containers[*].image` (and `spec.nodeName` once, when the pod is bound)',
          ),
        );
    }
    return out;
  },
  table: {
    columns: [
      nameColumn,
      { name: 'Ready', type: 'string', description: 'The number of ready containers of all containers.', priority: 0 },
      { name: 'Status', type: 'string', description: 'The aggregate state of the containers.', priority: 0 },
      {
        name: 'Restarts',
        type: 'string',
        description: 'The number of times the containers were restarted.',
        priority: 0,
      },
      ageColumn,
      { name: 'IP', type: 'string', description: 'The IP address of the pod.', priority: 1 },
      { name: 'Node', type: 'string', description: 'The node the pod runs on.', priority: 1 },
    ],
    cells(o, now) {
      const statuses = arr(obj(o.status).containerStatuses).map(obj);
      const total = arr(obj(o.spec).containers).length;
      const ready = statuses.filter((s) => s.ready === true).length;
      const restarts = statuses.reduce((n, s) => n + (typeof s.restartCount === 'number' ? s.restartCount : 0), 0);
      return [
        o.metadata.name,
        `${ready}/${total}`,
        podStatusText(o),
        String(restarts),
        humanAge(o.metadata.creationTimestamp, now),
        obj(o.status).podIP ?? '<none>',
        obj(o.spec).nodeName ?? '<none>',
      ];
    },
  },
};

let nextClusterIp = 1;

export const services: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  nameForm: 'label',
  statusSubresource: true,
  scaleSubresource: false,
  defaults(o) {
    const spec = (o.spec = obj(o.spec));
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (spec.type !== 'ExternalName') {
      spec.internalTrafficPolicy ??= 'Cluster';
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
    }
    if (spec.type !== 'ExternalName' && spec.clusterIP === undefined) {
      const n = nextClusterIp++;
      spec.clusterIP = `10.96.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
      spec.clusterIPs = [spec.clusterIP];
    }
    for (const p of arr(spec.ports)) {
      if (!isPlainObject(p)) continue;
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
    o.status ??= { loadBalancer: {} };
  },
  validate(o, old) {
    const out: StatusCause[] = checkMetadata(o, 'label');
    const spec = obj(o.spec);
    const types = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
    if (!types.includes(String(spec.type))) out.push(cause.notSupported('spec.type', spec.type, types));
    const ports = arr(spec.ports);
    if (spec.type !== 'ExternalName' && ports.length === 0) out.push(cause.required('spec.ports'));
    ports.forEach((p, i) => {
      const port = obj(p);
      if (typeof port.port !== 'number' || !Number.isInteger(port.port) || port.port < 1 || port.port > 65535)
        out.push(cause.invalid(`spec.ports[${i}].port`, port.port, 'must be between 1 and 65535, inclusive'));
      if (!['TCP', 'UDP', 'SCTP'].includes(String(port.protocol)))
        out.push(cause.notSupported(`spec.ports[${i}].protocol`, port.protocol, ['TCP', 'UDP', 'SCTP']));
      if (ports.length > 1 && !port.name) out.push(cause.required(`spec.ports[${i}].name`));
    });
    if (old && obj(old.spec).clusterIP !== undefined && spec.clusterIP !== obj(old.spec).clusterIP)
      out.push(cause.immutable('spec.clusterIP', spec.clusterIP));
    return out;
  },
  table: {
    columns: [
      nameColumn,
      { name: 'Type', type: 'string', description: 'The type of the service.', priority: 0 },
      { name: 'Cluster-IP', type: 'string', description: 'The cluster IP of the service.', priority: 0 },
      { name: 'External-IP', type: 'string', description: 'External addresses of the service.', priority: 0 },
      { name: 'Port(s)', type: 'string', description: 'The ports of the service.', priority: 0 },
      ageColumn,
    ],
    cells(o, now) {
      const spec = obj(o.spec);
      const ports = arr(spec.ports)
        .map((p) => `${obj(p).port}/${obj(p).protocol ?? 'TCP'}`)
        .join(',');
      return [
        o.metadata.name,
        spec.type,
        spec.clusterIP ?? '<none>',
        '<none>',
        ports || '<none>',
        humanAge(o.metadata.creationTimestamp, now),
      ];
    },
  },
};

const configKey = /^[-._a-zA-Z0-9]+$/;

export const configmaps: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  nameForm: 'subdomain',
  statusSubresource: false,
  scaleSubresource: false,
  decode: (body) => base64Problem(body.binaryData, 'binaryData'),
  validate(o) {
    const out = checkMetadata(o, 'subdomain');
    for (const field of ['data', 'binaryData']) {
      const data = o[field];
      if (data === undefined) continue;
      if (!isPlainObject(data)) {
        out.push(cause.invalid(field, data, 'must be a map of keys to string values'));
        continue;
      }
      for (const [k, v] of Object.entries(data)) {
        if (!configKey.test(k))
          out.push(
            cause.invalid(
              `${field}[${k}]`,
              k,
              "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            ),
          );
        if (typeof v !== 'string') out.push(cause.invalid(`${field}[${k}]`, v, 'must be a string'));
      }
    }
    const size = textBytes(o.data) + base64Bytes(o.binaryData);
    // The API server names no field here: the limit is on the object's data as a whole.
    if (size > MAX_DATA_BYTES) out.push(cause.tooLong('[]', MAX_DATA_BYTES));
    return out;
  },
  table: {
    columns: [
      nameColumn,
      { name: 'Data', type: 'integer', description: 'The number of data entries.', priority: 0 },
      ageColumn,
    ],
    cells: (o, now) => [
      o.metadata.name,
      Object.keys(obj(o.data)).length + Object.keys(obj(o.binaryData)).length,
      humanAge(o.metadata.creationTimestamp, now),
    ],
  },
};

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The API server's limit on a ConfigMap's or a Secret's data, all values together (core.MaxSecretSize). */
const MAX_DATA_BYTES = 1024 * 1024;

const textBytes = (data: unknown) =>
  Object.values(obj(data)).reduce<number>((n, v) => n + (typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : 0), 0);
const base64Bytes = (data: unknown) =>
  Object.values(obj(data)).reduce<number>(
    (n, v) => n + (typeof v === 'string' ? Buffer.byteLength(v, 'base64') : 0),
    0,
  );

/** Why a map of base64 values does not decode, as the API server's decoder says it (never echoing the value), or undefined. */
function base64Problem(data: unknown, field: string): string | undefined {
  for (const v of Object.values(obj(data))) {
    if (typeof v !== 'string') return `${field}: each value must be a base64 string`;
    const bad = v.search(/[^A-Za-z0-9+/=]/);
    if (bad >= 0 || !base64.test(v)) return `illegal base64 data at input byte ${bad >= 0 ? bad : v.length}`;
  }
  return undefined;
}

/** Stored as given; `stringData` is folded into `data` (base64) on every write, as the API server does. Nothing reads the values. */
export const secrets: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  nameForm: 'subdomain',
  statusSubresource: false,
  scaleSubresource: false,
  fieldSelectors: ['type'],
  // data holds bytes, sent as base64: a value that is not does not decode.
  decode: (body) => base64Problem(body.data, 'data'),
  defaults(o) {
    o.type ??= 'Opaque';
    if (isPlainObject(o.stringData)) {
      const data = (o.data = obj(o.data));
      for (const [k, v] of Object.entries(o.stringData))
        if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
      delete o.stringData;
    }
  },
  validate(o, old) {
    const out = checkMetadata(o, 'subdomain');
    if (o.data !== undefined && !isPlainObject(o.data))
      out.push(cause.invalid('data', o.data, 'must be a map of keys to base64-encoded values'));
    for (const k of Object.keys(obj(o.data))) {
      if (!configKey.test(k))
        out.push(
          cause.invalid(`data[${k}]`, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"),
        );
    }
    if (base64Bytes(o.data) > MAX_DATA_BYTES) out.push(cause.tooLong('data', MAX_DATA_BYTES));
    if (old && old.type !== o.type) out.push(cause.immutable('type', o.type));
    return out;
  },
  table: {
    columns: [
      nameColumn,
      { name: 'Type', type: 'string', description: 'The type of the secret.', priority: 0 },
      { name: 'Data', type: 'integer', description: 'The number of data entries.', priority: 0 },
      ageColumn,
    ],
    cells: (o, now) => [
      o.metadata.name,
      o.type ?? 'Opaque',
      Object.keys(obj(o.data)).length,
      humanAge(o.metadata.creationTimestamp, now),
    ],
  },
};

/** Stored only: no tokens are minted, and pods are not checked against it. */
export const serviceaccounts: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  nameForm: 'subdomain',
  statusSubresource: false,
  scaleSubresource: false,
  validate: (o) => checkMetadata(o, 'subdomain'),
};

export const events: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  nameForm: 'subdomain',
  statusSubresource: false,
  scaleSubresource: false,
  fieldSelectors: [
    'involvedObject.kind',
    'involvedObject.name',
    'involvedObject.namespace',
    'involvedObject.uid',
    'reason',
    'type',
    'source',
  ],
  microTimeFields: ['eventTime'],
  defaults(o) {
    // Times without omitempty: the API server writes the ones an Event does not have as null.
    o.firstTimestamp ??= null;
    o.lastTimestamp ??= null;
    o.eventTime ??= null;
  },
  validate(o) {
    const out = checkMetadata(o, 'subdomain');
    const involved = obj(o.involvedObject);
    if (!involved.kind) out.push(cause.required('involvedObject.kind'));
    if (!involved.name) out.push(cause.required('involvedObject.name'));
    if (o.type !== undefined && !['Normal', 'Warning'].includes(String(o.type)))
      out.push(cause.notSupported('type', o.type, ['Normal', 'Warning']));
    return out;
  },
  table: {
    columns: [
      { name: 'Last Seen', type: 'string', description: 'Time since the event was last seen.', priority: 0 },
      { name: 'Type', type: 'string', description: 'Normal or Warning.', priority: 0 },
      { name: 'Reason', type: 'string', description: 'Why the event happened.', priority: 0 },
      { name: 'Object', type: 'string', description: 'The object the event is about.', priority: 0 },
      { name: 'Message', type: 'string', description: 'What happened.', priority: 0 },
    ],
    cells(o, now) {
      const involved = obj(o.involvedObject);
      return [
        humanAge(String(o.lastTimestamp ?? o.metadata.creationTimestamp), now),
        o.type ?? 'Normal',
        o.reason ?? '',
        `${String(involved.kind).toLowerCase()}/${involved.name}`,
        o.message ?? '',
      ];
    },
  },
};
