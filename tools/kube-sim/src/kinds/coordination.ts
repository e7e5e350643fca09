import { cause } from '../api/errors.js';
import { isPlainObject } from '../api/types.js';
import { humanAge } from './age.js';
import type { KindDefinition } from './kind.js';
import { checkMetadata } from './validation.js';

export const leases: KindDefinition = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  nameForm: 'subdomain',
  statusSubresource: false,
  scaleSubresource: false,
  microTimeFields: ['spec.acquireTime', 'spec.renewTime'],
  validate(o) {
    const out = checkMetadata(o, 'subdomain');
    const spec = isPlainObject(o.spec) ? o.spec : {};
    if (spec.holderIdentity !== undefined && typeof spec.holderIdentity !== 'string')
      out.push(cause.invalid('spec.holderIdentity', spec.holderIdentity, 'must be a string'));
    const duration = spec.leaseDurationSeconds;
    if (duration !== undefined && (typeof duration !== 'number' || !Number.isInteger(duration) || duration <= 0))
      out.push(cause.invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
    const transitions = spec.leaseTransitions;
    if (
      transitions !== undefined &&
      (typeof transitions !== 'number' || !Number.isInteger(transitions) || transitions < 0)
    )
      out.push(cause.invalid('spec.leaseTransitions', transitions, 'must be greater than or equal to 0'));
    return out;
  },
  table: {
    columns: [
      {
        name: 'Name',
        type: 'string',
        format: 'name',
        description: 'Name must be unique within a namespace.',
        priority: 0,
      },
      { name: 'Holder', type: 'string', description: 'The current holder of the lease.', priority: 0 },
      { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
    ],
    cells: (o, now) => [
      o.metadata.name,
      (isPlainObject(o.spec) && o.spec.holderIdentity) || '',
      humanAge(o.metadata.creationTimestamp, now),
    ],
  },
};
