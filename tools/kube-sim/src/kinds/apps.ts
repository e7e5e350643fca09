import { cause, type StatusCause } from '../api/errors.js';
import { selectorToString } from '../api/selectors.js';
import { deepEqual, isPlainObject, type KubeObject } from '../api/types.js';
import { humanAge } from './age.js';
import type { KindDefinition, TableColumn } from './kind.js';
import { defaultPodTemplate } from './pod-defaults.js';
import {
  checkIntOrPercent,
  checkMetadata,
  checkNonNegativeInt,
  checkSelectorAndTemplate,
  scaledValue,
} from './validation.js';

type Rec = Record<string, unknown>;
const obj = (v: unknown): Rec => (isPlainObject(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const nameColumn: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
};
const ageColumn: TableColumn = {
  name: 'Age',
  type: 'string',
  description: 'Time since the object was created.',
  priority: 0,
};
const wideColumns: TableColumn[] = [
  { name: 'Containers', type: 'string', description: 'Names of each container in the template.', priority: 1 },
  { name: 'Images', type: 'string', description: 'Images referenced by each container in the template.', priority: 1 },
  { name: 'Selector', type: 'string', description: 'Label selector for pods.', priority: 1 },
];

function wideCells(o: KubeObject): string[] {
  const containers = arr(obj(obj(obj(o.spec).template).spec).containers).map(obj);
  return [
    containers.map((c) => c.name).join(','),
    containers.map((c) => c.image).join(','),
    selectorToString(obj(o.spec).selector),
  ];
}

function checkSelectorImmutable(o: KubeObject, old: KubeObject | undefined): StatusCause[] {
  if (old && !deepEqual(obj(o.spec).selector, obj(old.spec).selector))
    return [cause.immutable('spec.selector', obj(o.spec).selector)];
  return [];
}

export const deployments: KindDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  nameForm: 'subdomain',
  statusSubresource: true,
  scaleSubresource: true,
  generation: 'spec-and-annotations',
  initialStatus: () => ({}),
  defaults(o) {
    const spec = (o.spec = obj(o.spec));
    // Kubernetes keeps a false paused as nothing (omitempty): a resumed Deployment has no paused field.
    if (spec.paused === false) delete spec.paused;
    spec.replicas ??= 1;
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    const strategy = (spec.strategy = obj(spec.strategy));
    strategy.type ??= 'RollingUpdate';
    if (strategy.type === 'RollingUpdate') {
      const ru = (strategy.rollingUpdate = obj(strategy.rollingUpdate));
      ru.maxSurge ??= '25%';
      ru.maxUnavailable ??= '25%';
    }
    defaultPodTemplate(spec.template);
  },
  validate(o, old) {
    const out = checkMetadata(o, 'subdomain');
    if (!isPlainObject(o.spec)) return [...out, cause.required('spec')];
    const spec = o.spec;
    out.push(
      ...checkNonNegativeInt(spec.replicas, 'spec.replicas'),
      ...checkNonNegativeInt(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
      ...checkNonNegativeInt(spec.minReadySeconds, 'spec.minReadySeconds'),
    );
    out.push(...checkSelectorAndTemplate(spec, 'spec', true), ...checkSelectorImmutable(o, old));
    const strategy = obj(spec.strategy);
    if (!['RollingUpdate', 'Recreate'].includes(String(strategy.type)))
      out.push(cause.notSupported('spec.strategy.type', strategy.type, ['Recreate', 'RollingUpdate']));
    if (strategy.type === 'Recreate' && strategy.rollingUpdate !== undefined)
      out.push(
        cause.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"),
      );
    if (strategy.type === 'RollingUpdate') {
      const ru = obj(strategy.rollingUpdate);
      const problems = [
        ...checkIntOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge'),
        ...checkIntOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'),
      ];
      out.push(...problems);
      if (
        problems.length === 0 &&
        scaledValue(ru.maxSurge, 100, true) === 0 &&
        scaledValue(ru.maxUnavailable, 100, false) === 0
      )
        out.push(
          cause.invalid(
            'spec.strategy.rollingUpdate.maxUnavailable',
            ru.maxUnavailable,
            'may not be 0 when `maxSurge` is 0',
          ),
        );
    }
    const deadline = spec.progressDeadlineSeconds;
    if (deadline !== undefined) {
      if (typeof deadline !== 'number' || !Number.isInteger(deadline) || deadline <= 0)
        out.push(cause.invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than 0'));
      else if (typeof spec.minReadySeconds === 'number' && deadline <= spec.minReadySeconds)
        out.push(cause.invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
    }
    if (spec.paused !== undefined && typeof spec.paused !== 'boolean')
      out.push(cause.invalid('spec.paused', spec.paused, 'must be true or false'));
    return out;
  },
  table: {
    columns: [
      nameColumn,
      { name: 'Ready', type: 'string', description: 'Number of the pod with ready state', priority: 0 },
      {
        name: 'Up-to-date',
        type: 'integer',
        description:
          'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
        priority: 0,
      },
      {
        name: 'Available',
        type: 'integer',
        description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
        priority: 0,
      },
      ageColumn,
      ...wideColumns,
    ],
    cells(o, now) {
      const s = obj(o.status);
      return [
        o.metadata.name,
        `${s.readyReplicas ?? 0}/${obj(o.spec).replicas ?? 0}`,
        s.updatedReplicas ?? 0,
        s.availableReplicas ?? 0,
        humanAge(o.metadata.creationTimestamp, now),
        ...wideCells(o),
      ];
    },
  },
};

export const replicasets: KindDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  nameForm: 'subdomain',
  statusSubresource: true,
  scaleSubresource: true,
  generation: 'spec',
  initialStatus: () => ({ replicas: 0 }),
  defaults(o) {
    const spec = (o.spec = obj(o.spec));
    spec.replicas ??= 1;
    defaultPodTemplate(spec.template);
  },
  validate(o, old) {
    const out = checkMetadata(o, 'subdomain');
    if (!isPlainObject(o.spec)) return [...out, cause.required('spec')];
    out.push(
      ...checkNonNegativeInt(o.spec.replicas, 'spec.replicas'),
      ...checkSelectorAndTemplate(o.spec, 'spec', true),
      ...checkSelectorImmutable(o, old),
    );
    return out;
  },
  table: {
    columns: [
      nameColumn,
      { name: 'Desired', type: 'integer', description: 'Number of desired pods.', priority: 0 },
      { name: 'Current', type: 'integer', description: 'Number of actual pods.', priority: 0 },
      { name: 'Ready', type: 'integer', description: 'Number of ready pods.', priority: 0 },
      ageColumn,
      ...wideColumns,
    ],
    cells(o, now) {
      const s = obj(o.status);
      return [
        o.metadata.name,
        obj(o.spec).replicas ?? 0,
        s.replicas ?? 0,
        s.readyReplicas ?? 0,
        humanAge(o.metadata.creationTimestamp, now),
        ...wideCells(o),
      ];
    },
  },
};
